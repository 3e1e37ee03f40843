#pragma once
// Wires the rooms together for one run of the gateway: state store, adapter
// clients and their supervisor, one HTTP listener per virtual device, the
// WS-Discovery responder, and the I/O threads.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "adapters/adapter_client.h"
#include "adapters/supervisor.h"
#include "config/gateway_config.h"
#include "core/expected.h"
#include "discovery/responder.h"
#include "http/rebindable_listener.h"
#include "relay/rtsp_relay.h"
#include "security/secret_box.h"
#include "services/authentication.h"
#include "services/device/date_time_settings.h"
#include "services/device/device_certificates.h"
#include "services/device/discovery_settings.h"
#include "services/device/dot1x_configurations.h"
#include "services/device/geo_location_operations.h"
#include "services/device/https_endpoint.h"
#include "services/device/network_settings.h"
#include "services/device/storage_configurations.h"
#include "services/device/system_backup.h"
#include "services/device_security.h"
#include "services/events/event_hub.h"
#include "services/events/notify_consumer.h"
#include "services/media/media_profile_store.h"
#include "services/media/snapshot_endpoint.h"
#include "services/ptz/ptz_move_timers.h"
#include "services/soap_endpoint.h"
#include "services/virtual_device.h"
#include "store/state_store.h"

namespace onvifgw {

class GatewayApp {
 public:
  GatewayApp(config::GatewayConfig config, std::string program_dir);
  ~GatewayApp();

  /// Opens state, starts adapters, binds every listener. Errors are fatal.
  Status<std::string> Start();
  /// Runs until SIGINT/SIGTERM, then shuts down in order.
  void RunUntilSignal();
  void Stop();

 private:
  config::GatewayConfig config_;
  std::string program_dir_;
  boost::asio::io_context io_;
  std::unique_ptr<store::StateStore> store_;
  /// Before the clients: destroyed after them (their completions use it).
  std::unique_ptr<services::ptz::PtzMoveTimers> ptz_moves_;
  std::vector<std::unique_ptr<adapters::AdapterClient>> clients_;
  std::unique_ptr<adapters::Supervisor> supervisor_;
  std::unique_ptr<security::SecretBox> secrets_;
  std::unique_ptr<services::RequestAuthenticator> authenticator_;
  std::vector<std::unique_ptr<services::DeviceSecurity>> security_;
  std::vector<std::unique_ptr<services::media::MediaProfileStore>> media_;
  std::vector<std::unique_ptr<services::media::SnapshotCache>> snapshots_;
  std::vector<std::unique_ptr<services::device::NetworkSettings>> network_;
  std::vector<std::unique_ptr<services::device::DiscoverySettings>> discovery_settings_;
  std::vector<std::unique_ptr<services::device::DateTimeSettings>> date_time_;
  std::vector<std::unique_ptr<services::device::GeoLocationSettings>> geo_location_;
  std::vector<std::unique_ptr<services::device::StorageConfigurations>> storage_;
  std::vector<std::unique_ptr<services::device::Dot1XConfigurations>> dot1x_;
  std::vector<std::unique_ptr<services::device::DeviceCertificates>> certificates_;
  std::vector<std::unique_ptr<services::device::HttpsEndpoint>> https_;
  std::vector<std::unique_ptr<services::device::UploadTickets>> restore_tickets_;
  std::unique_ptr<services::ServiceRegistry> registry_;
  std::unique_ptr<services::SoapEndpoint> endpoint_;
  std::unique_ptr<services::events::EventHub> events_;
  std::unique_ptr<services::events::PushDelivery> push_;
  std::vector<std::unique_ptr<services::VirtualDevice>> devices_;
  std::vector<std::unique_ptr<http::RebindableListener>> listeners_;
  /// `metrics:`: /metrics and /healthz for the operator (none when off).
  std::unique_ptr<http::RebindableListener> operator_listener_;
  int metrics_collector_ = 0;
  /// Serves devices_' streams: declared after them, so it goes first.
  std::unique_ptr<relay::RtspRelay> relay_;
  std::unique_ptr<discovery::Responder> discovery_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;

  /// The scrape-time gauges, and the `metrics:` listener when it is on.
  Status<std::string> StartOperatorEndpoint();
  /// Turns an adapter event into ONVIF notifications of the devices it backs.
  void OnAdapterEvent(const adapters::v1::Event& ev, const std::string& adapter_id);
  void OnAdapterAvailability(const std::string& adapter_id, bool available);
  /// The documented initial value of each of the device's properties.
  void DeclareInitialState(const services::VirtualDevice& dev);
};

}  // namespace onvifgw
