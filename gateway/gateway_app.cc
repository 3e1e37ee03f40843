#include "gateway_app.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>

#include "adapters/adapter_secrets.h"
#include "core/log.h"
#include "core/metrics.h"
#include "services/device/device_service.h"
#include "services/device/device_state_reload.h"
#include "services/device/firmware_upgrade.h"
#include "services/device/network_settings.h"
#include "services/events/camera_events.h"
#include "services/events/event_service.h"
#include "services/events/notify_consumer.h"
#include "services/http_binding.h"
#include "services/media/media_catalog.h"
#include "services/operator_endpoint.h"
#include "services/served_services.h"

namespace onvifgw {
namespace asio = boost::asio;

GatewayApp::GatewayApp(config::GatewayConfig config, std::string program_dir)
    : config_(std::move(config)), program_dir_(std::move(program_dir)) {}

GatewayApp::~GatewayApp() { Stop(); }

Status<std::string> GatewayApp::Start() {
  auto store = store::StateStore::Open(config_.state_dir);
  if (!store) return MakeUnexpected(store.error());
  store_ = std::move(store).value();
  log::Info("store", "state in " + config_.state_dir + " (schema version " +
                         std::to_string(store_->schema_version()) + ")");

  // Passwords are sealed with a key that never leaves the state directory.
  auto box = security::SecretBox::OpenOrCreate(
      (std::filesystem::path(config_.state_dir) / "secret.key").string());
  if (!box) return MakeUnexpected(box.error());
  secrets_ = std::make_unique<security::SecretBox>(std::move(box).value());

  const std::string run_dir = (std::filesystem::path(config_.state_dir) / "run").string();
  std::vector<adapters::Supervisor::Entry> entries;
  for (const auto& a : config_.adapters) {
    clients_.push_back(std::make_unique<adapters::AdapterClient>(
        a.id, adapters::Supervisor::TargetFor(a, run_dir), a.call_deadline));
    // Camera credentials sealed in the adapter's section are opened for the adapter only.
    config::AdapterConfig opened = a;
    auto section = adapters::OpenAdapterSecrets(*secrets_, a.section_yaml);
    if (!section) {
      return MakeUnexpected("adapter " + a.id + ": config." + section.error());
    }
    opened.section_yaml = std::move(section).value();
    for (const std::string& path : adapters::ClearTextSecretPaths(a.section_yaml)) {
      log::Warn("adapter:" + a.id, "config." + path +
                                       " is in clear text in the config file; `onvif-gateway "
                                       "seal --config <file>` gives its sealed form");
    }
    entries.push_back({clients_.back().get(), std::move(opened)});
  }
  security::FailureLimiter::Options limiter;
  limiter.delay_after = static_cast<std::size_t>(config_.security.failures_before_delay);
  limiter.lockout_after = static_cast<std::size_t>(config_.security.failures_before_lockout);
  limiter.lockout = config_.security.lockout;
  authenticator_ = std::make_unique<services::RequestAuthenticator>(limiter);

  registry_ = std::make_unique<services::ServiceRegistry>();
  if (auto st = services::ServeAll(*registry_); !st) return st;
  endpoint_ = std::make_unique<services::SoapEndpoint>(
      *registry_, soap::XmlLimits{config_.http.max_body_bytes, 64}, authenticator_.get());
  services::events::HubLimits hub_limits;
  hub_limits.max_subscriptions_per_device = config_.events.max_subscriptions;
  events_ = std::make_unique<services::events::EventHub>(hub_limits);
  ptz_moves_ = std::make_unique<services::ptz::PtzMoveTimers>();
  services::events::NotifyOptions notify;
  notify.timeout = config_.events.notify_timeout;
  notify.attempts = config_.events.notify_attempts;
  notify.first_retry = config_.events.notify_retry;
  push_ =
      std::make_unique<services::events::PushDelivery>(services::events::PushDelivery{io_, notify});

  const http::Limits limits{.max_header_bytes = config_.http.max_header_bytes,
                            .max_body_bytes = config_.http.max_body_bytes,
                            .read_timeout = config_.http.read_timeout,
                            .idle_timeout = config_.http.idle_timeout,
                            .max_connections = config_.http.max_connections,
                            // Firmware uploads, and SOAP requests with MTOM attachments (a
                            // backup, UpgradeSystemFirmware's image).
                            .upload_prefix = std::string(services::device::kFirmwarePathPrefix),
                            .max_upload_bytes = config_.http.max_upload_bytes,
                            .multipart_uploads = true};
  for (const auto& dc : config_.devices) {
    auto identity = store_->IdentityFor(dc.id);
    if (!identity) return MakeUnexpected("device " + dc.id + ": " + identity.error());
    auto dev = std::make_unique<services::VirtualDevice>();
    dev->config = dc;
    if (dev->config.hardware.empty()) dev->config.hardware = identity->hardware_id;
    dev->identity = *identity;
    dev->state = store_.get();
    dev->secrets = secrets_.get();
    restore_tickets_.push_back(std::make_unique<services::device::UploadTickets>());
    dev->restore_tickets = restore_tickets_.back().get();
    restore_tickets_.push_back(std::make_unique<services::device::UploadTickets>());
    dev->firmware_tickets = restore_tickets_.back().get();
    dev->discovery_enabled = config_.discovery.enabled;
    auto scopes = std::make_unique<services::device::DiscoverySettings>(
        dc.id, services::FixedScopes(dev->config, dev->config.hardware), store_.get());
    if (auto st = scopes->Load(); !st) return MakeUnexpected(st.error());
    dev->discovery = scopes.get();
    discovery_settings_.push_back(std::move(scopes));
    if (config_.discovery.enabled) {
      dev->announce = [this,
                       epr = identity->endpoint_reference](services::DiscoveryAnnouncement what) {
        if (!discovery_) return;
        if (what == services::DiscoveryAnnouncement::kHello) {
          discovery_->Announce(epr);
        } else {
          discovery_->Depart(epr);
        }
      };
    }
    dev->events = events_.get();
    dev->ptz_moves = ptz_moves_.get();
    dev->push = push_.get();
    services::DeviceSecurity::Options sec_options;
    sec_options.allow_basic = config_.security.allow_basic;
    sec_options.token_window = config_.security.token_window;
    sec_options.digest_nonce_lifetime = config_.security.digest_nonce_lifetime;
    auto sec = services::DeviceSecurity::Load(dc.id, identity->endpoint_reference, *store_,
                                              *secrets_, sec_options, dc.admin);
    if (!sec) return MakeUnexpected(sec.error());
    dev->security = sec->get();
    security_.push_back(std::move(sec).value());
    for (auto& c : clients_) {
      if (c->id() == dc.adapter) dev->adapter = c.get();
    }
    auto media = std::make_unique<services::media::MediaProfileStore>(dc.id, store_.get());
    if (auto st = media->Load(); !st) return MakeUnexpected(st.error());
    dev->media = media.get();
    media_.push_back(std::move(media));
    snapshots_.push_back(std::make_unique<services::media::SnapshotCache>());
    dev->snapshots = snapshots_.back().get();
    auto network = std::make_unique<services::device::NetworkSettings>(dc.id, store_.get());
    if (auto st = network->Load(); !st) return MakeUnexpected(st.error());
    dev->network = network.get();
    network_.push_back(std::move(network));
    auto date_time = std::make_unique<services::device::DateTimeSettings>(dc.id, store_.get());
    if (auto st = date_time->Load(); !st) return MakeUnexpected(st.error());
    dev->date_time = date_time.get();
    dev->clock = &date_time->clock();
    date_time_.push_back(std::move(date_time));
    auto geo = std::make_unique<services::device::GeoLocationSettings>(dc.id, store_.get());
    if (auto st = geo->Load(); !st) return MakeUnexpected(st.error());
    dev->geo_location = geo.get();
    geo_location_.push_back(std::move(geo));
    auto storage = std::make_unique<services::device::StorageConfigurations>(dc.id, store_.get(),
                                                                             secrets_.get());
    if (auto st = storage->Load(); !st) return MakeUnexpected(st.error());
    dev->storage = storage.get();
    storage_.push_back(std::move(storage));
    auto dot1x = std::make_unique<services::device::Dot1XConfigurations>(dc.id, store_.get(),
                                                                         secrets_.get());
    if (auto st = dot1x->Load(); !st) return MakeUnexpected(st.error());
    dev->dot1x = dot1x.get();
    dot1x_.push_back(std::move(dot1x));
    auto certificates =
        std::make_unique<services::device::DeviceCertificates>(dc.id, store_.get(), secrets_.get());
    if (auto st = certificates->Load(); !st) return MakeUnexpected(st.error());
    dev->certificates = certificates.get();
    dev->certificate_key = config_.security.certificate_key_ec ? security::KeyAlgorithm::kEcP256
                                                               : security::KeyAlgorithm::kRsa2048;
    certificates_.push_back(std::move(certificates));
    // The relay first: the web service port hands RTSP-over-HTTP tunnels to it.
    http::ConnectionHandover tunnels;
    if (dc.stream_relay && dev->media != nullptr) {
      if (!relay_) relay_ = std::make_unique<relay::RtspRelay>();
      // Where a client moved it (SetNetworkProtocols), unless that is no
      // longer possible; then where the config says.
      const uint16_t moved = dev->network->RtspPortFor(dc.rtsp_port);
      auto rtsp = relay_->Serve(*dev, dc.address, moved,
                                relay::AdmitDeviceUsers(*dev, authenticator_.get()));
      if (!rtsp && moved != dc.rtsp_port) {
        log::WriteAbout(log::Level::kWarn, "relay", dc.id,
                        "cannot serve RTSP where a client moved it (" + rtsp.error() +
                            "); using the configured rtsp_port");
        rtsp = relay_->Serve(*dev, dc.address, dc.rtsp_port,
                             relay::AdmitDeviceUsers(*dev, authenticator_.get()));
      }
      if (!rtsp) return MakeUnexpected("device " + dc.id + ": " + rtsp.error());
      dev->relay = *rtsp;
      if (dc.rtsp_port == 0) {
        // A port the system chose is kept for the next start, so that the
        // stream URIs a VMS stored stay valid (as if a client had set it).
        const uint16_t chosen = dev->relay->port();
        (void)dev->network->Update([chosen](services::device::NetworkState& s) {
          s.set_rtsp_port(chosen);
          s.set_rtsp_port_config(0);
          return std::optional<soap::Fault>();
        });
      }
      log::WriteAbout(log::Level::kInfo, "relay", dc.id,
                      "serving rtsp://" +
                          (dc.address == "0.0.0.0" ? std::string("127.0.0.1") : dc.address) + ":" +
                          std::to_string(dev->relay->port()) +
                          "/<profile token>, and tunnelled in HTTP on the web service port");
      tunnels.wants = [](std::string_view method, std::string_view, std::string_view accept,
                         std::string_view content_type) {
        return relay::IsRtspTunnelRequest(method, accept, content_type);
      };
      tunnels.take = [relay = relay_.get(), device = dev.get()](http::HandedOverConnection c) {
        relay->TakeTunnel(*device, c.fd, std::move(c.received), std::move(c.remote_address),
                          c.remote_port);
      };
    }
    // The device's IP address filter applies on accept, on every port of it.
    auto listener = std::make_unique<http::RebindableListener>(
        io_, limits, services::MakeDeviceHttpHandler(*dev, *endpoint_), dc.id,
        [sec = dev->security](const std::string& remote) { return sec->Admits(remote); },
        std::move(tunnels));
    // Where a client moved it (SetNetworkProtocols/SetNetworkInterfaces),
    // unless that is no longer possible; then where the config says.
    const auto moved = dev->network->BindingFor(dc.address, dc.port);
    if (moved.address != dc.address || moved.port != dc.port) {
      if (auto st = listener->Listen(moved.address, moved.port); !st) {
        log::WriteAbout(log::Level::kWarn, "device", dc.id,
                        "cannot listen where a client moved it (" + st.error() +
                            "); using the configured address and port");
      }
    }
    if (listener->port() == 0) {
      if (auto st = listener->Listen(dc.address, dc.port); !st) {
        return MakeUnexpected("device " + dc.id + ": " + st.error());
      }
    }
    const std::string bound = listener->address();
    log::WriteAbout(log::Level::kInfo, "device", dc.id,
                    identity->endpoint_reference + " serving http://" +
                        (bound == "0.0.0.0" ? std::string("127.0.0.1") : bound) + ":" +
                        std::to_string(listener->port()) + std::string(services::device::kPath));
    dev->listener = listener.get();
    listeners_.push_back(std::move(listener));
    // HTTPS: the same handler and filter on a TLS listener, switched on
    // (SetNetworkProtocols) where the stored settings say so.
    auto tls_slot = std::make_shared<http::TlsContextSlot>();
    auto tls_listener = std::make_unique<http::RebindableListener>(
        io_, limits, services::MakeDeviceHttpHandler(*dev, *endpoint_), dc.id + "/https",
        [sec = dev->security](const std::string& remote) { return sec->Admits(remote); },
        http::ConnectionHandover{}, tls_slot);
    https_.push_back(std::make_unique<services::device::HttpsEndpoint>(
        dc.id, *tls_listener, tls_slot, *dev->certificates));
    dev->https = https_.back().get();
    listeners_.push_back(std::move(tls_listener));
    services::device::ServeHttpsAsStored(*dev);
    devices_.push_back(std::move(dev));
  }

  supervisor_ = std::make_unique<adapters::Supervisor>(
      std::move(entries), run_dir, program_dir_,
      [this](const adapters::v1::Event& ev, const std::string& adapter_id) {
        OnAdapterEvent(ev, adapter_id);
      },
      [this](const std::string& adapter_id, bool available) {
        OnAdapterAvailability(adapter_id, available);
      });
  if (auto st = supervisor_->Start(); !st) return st;

  if (config_.discovery.enabled) {
    discovery::ResponderOptions opts;
    opts.bind_address = config_.discovery.address;
    opts.port = config_.discovery.port;
    opts.join_multicast = config_.discovery.multicast;
    opts.log = [](std::string_view level, std::string_view msg) {
      log::Level l = log::Level::kInfo;
      log::ParseLevel(level, &l);
      log::Write(l, "discovery", msg);
    };
    discovery_ = std::make_unique<discovery::Responder>(io_, opts, [this] {
      std::vector<discovery::DiscoverableDevice> out;
      for (std::size_t i = 0; i < devices_.size(); ++i) {
        const auto& d = *devices_[i];
        const auto view = d.discovery->Snapshot();
        if (!view.discoverable) continue;  // SetDiscoveryMode(NonDiscoverable)
        const auto adv = services::ParseAdvertisedAddress(d.config.advertised_address);
        const std::string& host = adv.host;
        const uint16_t port = adv.port.value_or(d.listener->port());
        // HTTPS beside HTTP, on the same host (an advertised port is HTTP's).
        const uint16_t https = d.https != nullptr && d.https->serving() ? d.https->port() : 0;
        out.push_back({d.identity.endpoint_reference, view.All(), d.listener->address(), port,
                       https, host, view.metadata_version});
      }
      return out;
    });
    if (auto st = discovery_->Start(); !st) return MakeUnexpected("discovery: " + st.error());
    log::Info("discovery", "WS-Discovery on udp/" + std::to_string(discovery_->port()));
  }

  if (auto st = StartOperatorEndpoint(); !st) return st;

  int n = config_.threads > 0 ? config_.threads
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { io_.run(); });
  return {};
}

void GatewayApp::OnAdapterEvent(const adapters::v1::Event& ev, const std::string& adapter_id) {
  if (ev.has_motion()) {
    log::Debug("events", adapter_id + "/" + ev.camera_id() + ": motion " +
                             (ev.motion().active() ? "started" : "stopped"));
  }
  auto time = std::chrono::system_clock::now();
  if (ev.has_time()) {
    time = std::chrono::system_clock::time_point(std::chrono::seconds(ev.time().seconds()) +
                                                 std::chrono::nanoseconds(ev.time().nanos()));
  }
  for (const auto& dev : devices_) {
    if (dev->config.adapter != adapter_id) continue;
    if (ev.has_facts_changed()) {
      // New sources or relays get their initial values (the refresh ran
      // before this event was handed on).
      DeclareInitialState(*dev);
      continue;
    }
    for (auto& n : services::events::CameraNotifications(dev->config, ev, time)) {
      events_->Publish(dev->config.id, std::move(n));
    }
  }
}

void GatewayApp::DeclareInitialState(const services::VirtualDevice& dev) {
  if (dev.adapter == nullptr) return;
  const auto facts = dev.adapter->facts();
  if (!facts) return;
  for (auto& n :
       services::events::InitialState(dev.config, *facts, std::chrono::system_clock::now())) {
    events_->Declare(dev.config.id, std::move(n));
  }
}

void GatewayApp::OnAdapterAvailability(const std::string& adapter_id, bool available) {
  const auto now = std::chrono::system_clock::now();
  for (const auto& dev : devices_) {
    if (dev->config.adapter != adapter_id || dev->adapter == nullptr) continue;
    const auto facts = dev->adapter->facts();
    if (!facts) continue;
    if (available) DeclareInitialState(*dev);
    // The camera behind each video source is reachable again, or lost.
    for (auto& n : services::events::SignalState(dev->config, *facts, !available, now)) {
      events_->Publish(dev->config.id, std::move(n));
    }
  }
}

void GatewayApp::RunUntilSignal() {
  asio::io_context signals_io;
  asio::signal_set signals(signals_io, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int sig) {
    log::Info("gateway", "signal " + std::to_string(sig) + ": shutting down");
  });
  signals_io.run();
  Stop();
}

Status<std::string> GatewayApp::StartOperatorEndpoint() {
  // Gauges read at scrape time; removed in Stop(), before what they read goes.
  metrics_collector_ = metrics::Default().AddCollector([this](metrics::Registry& r) {
    for (const auto& dev : devices_) {
      const std::string& id = dev->config.id;
      if (events_) {
        r.Set("onvif_event_subscriptions", {{"device", id}},
              static_cast<double>(events_->subscription_count(id)));
      }
    }
    if (relay_) {
      for (const auto& [device, clients] : relay_->ClientCounts()) {
        r.Set("onvif_relay_clients", {{"device", device}}, static_cast<double>(clients));
      }
    }
  });
  if (!config_.metrics.enabled) return {};
  http::Limits limits;
  limits.max_connections = 16;
  operator_listener_ = std::make_unique<http::RebindableListener>(
      io_, limits, services::MakeOperatorHttpHandler([this] {
        std::vector<std::pair<std::string, bool>> adapters;
        for (const auto& client : clients_)
          adapters.emplace_back(client->id(), client->available());
        return adapters;
      }),
      "metrics");
  if (auto st = operator_listener_->Listen(config_.metrics.address, config_.metrics.port); !st) {
    return MakeUnexpected("metrics: " + st.error());
  }
  log::Info("metrics", "serving http://" + config_.metrics.address + ":" +
                           std::to_string(operator_listener_->port()) + "/metrics and /healthz");
  return {};
}

void GatewayApp::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (discovery_) discovery_->Stop();  // Bye while the network is still ours
  if (operator_listener_) operator_listener_->Stop();
  if (metrics_collector_ != 0) metrics::Default().RemoveCollector(metrics_collector_);
  for (auto& l : listeners_) l->Stop();
  // Pending ContinuousMove stops go out while the adapters still run: no
  // dome is left turning. The timers outlive the adapter clients (declared
  // before them), whose late completions may still reach them.
  if (ptz_moves_) ptz_moves_->Shutdown();
  if (supervisor_) supervisor_->Stop();
  events_.reset();  // answers pending PullMessages before the I/O threads stop
  io_.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  // After the I/O threads: a connection still being read may hand a tunnel
  // to the relay until then.
  relay_.reset();
  log::Info("gateway", "stopped");
}

}  // namespace onvifgw
