// The SDK's serial line, driven through a pseudo-terminal: the line opens the slave side, the test
// plays the device on the master side.

#include "adapters/sdk/serial_line.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pseudo_terminal.h"

namespace onvifgw::adapter_sdk {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Upper bound for anything the test waits for: only reached when the code under test is broken.
constexpr milliseconds kFailsafe{5000};

using onvifgw::testing::PseudoTerminal;

// Polls a condition that has no event to wait on (a counter inside the line).
template <typename Condition>
bool WaitUntil(const Condition& condition) {
  const auto deadline = Clock::now() + kFailsafe;
  while (!condition()) {
    if (Clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

SerialSettings FastSettings(const std::string& path) {
  SerialSettings settings;
  settings.path = path;
  settings.baud = 115200;
  settings.inter_frame_gap = milliseconds(0);
  return settings;
}

std::unique_ptr<SerialLine> OpenLine(const SerialSettings& settings) {
  auto line = SerialLine::Open(settings);
  if (!line.ok()) {
    ADD_FAILURE() << line.error().message;
    return nullptr;
  }
  return std::move(line).value();
}

// Test protocol: a response is "<...>"; anything before '<' is garbage.
ResponseMatch MatchAngleBrackets(std::string_view received) {
  const size_t open = received.find('<');
  if (open == std::string_view::npos) {
    return ResponseMatch::NeedMore();
  }
  const size_t close = received.find('>', open);
  if (close == std::string_view::npos) {
    return ResponseMatch::NeedMore();
  }
  return ResponseMatch::Found(open, close - open + 1);
}

TEST(SerialLineTest, SentFrameArrivesWhole) {
  PseudoTerminal pty;
  auto line = OpenLine(FastSettings(pty.slave_path()));
  ASSERT_NE(line, nullptr);
  const std::string frame("\xFF\x01\x00\x02\x20\x00\x23", 7);
  ASSERT_TRUE(line->Send(frame).ok());
  EXPECT_EQ(pty.Read(frame.size()), frame);
  EXPECT_EQ(line->path(), pty.slave_path());
}

TEST(SerialLineTest, ConcurrentSendersNeverInterleave) {
  PseudoTerminal pty;
  auto line = OpenLine(FastSettings(pty.slave_path()));
  ASSERT_NE(line, nullptr);
  constexpr int kSenders = 4;
  constexpr int kFramesEach = 50;
  constexpr size_t kFrameSize = 16;
  // Drain the device side concurrently so that the pty buffer never limits the writers.
  std::string received;
  std::thread device([&] { received = pty.Read(kSenders * kFramesEach * kFrameSize); });
  std::vector<std::thread> senders;
  std::atomic<int> failures{0};
  for (int sender = 0; sender < kSenders; ++sender) {
    senders.emplace_back([&, sender] {
      for (int seq = 0; seq < kFramesEach; ++seq) {
        // "[s:seq.........]": a sender's bytes are recognisable anywhere in the stream.
        std::string frame("[");
        frame.append(std::to_string(sender)).append(":").append(std::to_string(seq));
        frame.resize(kFrameSize - 1, static_cast<char>('a' + sender));
        frame.push_back(']');
        if (!line->Send(frame).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& sender : senders) {
    sender.join();
  }
  device.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(received.size(), kSenders * kFramesEach * kFrameSize);
  std::map<int, int> next_seq;
  for (size_t offset = 0; offset < received.size(); offset += kFrameSize) {
    const std::string frame = received.substr(offset, kFrameSize);
    ASSERT_EQ(frame.front(), '[') << frame;
    ASSERT_EQ(frame.back(), ']') << frame;
    const int sender = frame[1] - '0';
    const int seq = std::stoi(frame.substr(3));
    const char fill = static_cast<char>('a' + sender);
    EXPECT_EQ(frame.find_first_not_of(fill, frame.find_last_of("0123456789") + 1), kFrameSize - 1)
        << "interleaved: " << frame;
    EXPECT_EQ(seq, next_seq[sender]++) << "one sender's frames out of order";
  }
  EXPECT_EQ(next_seq.size(), static_cast<size_t>(kSenders));
}

TEST(SerialLineTest, CoalescingReplacesAQueuedMove) {
  PseudoTerminal pty;
  auto line = OpenLine(FastSettings(pty.slave_path()));
  ASSERT_NE(line, nullptr);
  // Hold the line with an exchange so that the moves queue up behind it.
  std::optional<Result<std::string>> held;
  std::thread holder([&] { held = line->Exchange("query", MatchAngleBrackets, kFailsafe); });
  EXPECT_EQ(pty.Read(5), "query");

  std::optional<Result<void>> first;
  std::optional<Result<void>> second;
  std::optional<Result<void>> other;
  std::thread first_move([&] { first = line->Send("move-1", "ptz"); });
  ASSERT_TRUE(WaitUntil([&] { return line->QueuedFrameCount() == 1; }));
  std::thread other_key([&] { other = line->Send("focus", "lens"); });
  ASSERT_TRUE(WaitUntil([&] { return line->QueuedFrameCount() == 2; }));
  std::thread second_move([&] { second = line->Send("move-2", "ptz"); });
  ASSERT_TRUE(WaitUntil([&] { return line->CoalescedFrameCount() == 1; }));
  EXPECT_EQ(line->QueuedFrameCount(), 2u);

  pty.Write("<ok>");
  holder.join();
  ASSERT_TRUE(held->ok()) << held->error().message;
  EXPECT_EQ(held->value(), "<ok>");
  // The newer move took the older one's place in the queue; the older one is never written.
  EXPECT_EQ(pty.Read(11), "move-2focus");
  first_move.join();
  second_move.join();
  other_key.join();
  EXPECT_TRUE(first->ok());
  EXPECT_TRUE(second->ok());
  EXPECT_TRUE(other->ok());
  ASSERT_TRUE(line->Send("end").ok());
  EXPECT_EQ(pty.Read(3), "end");
}

TEST(SerialLineTest, ExchangeAssemblesAResponseSplitOverSeveralWrites) {
  PseudoTerminal pty;
  auto line = OpenLine(FastSettings(pty.slave_path()));
  ASSERT_NE(line, nullptr);
  std::atomic<int> matcher_calls{0};
  auto counting_matcher = [&](std::string_view received) {
    ++matcher_calls;
    return MatchAngleBrackets(received);
  };
  std::optional<Result<std::string>> answer;
  std::thread caller([&] { answer = line->Exchange("pos?", counting_matcher, kFailsafe); });
  EXPECT_EQ(pty.Read(4), "pos?");
  // Each piece is seen by the matcher before the next is written: really split.
  pty.Write("<pan");
  ASSERT_TRUE(WaitUntil([&] { return matcher_calls.load() >= 1; }));
  pty.Write("=12");
  ASSERT_TRUE(WaitUntil([&] { return matcher_calls.load() >= 2; }));
  pty.Write("34>");
  caller.join();
  ASSERT_TRUE(answer->ok()) << answer->error().message;
  EXPECT_EQ(answer->value(), "<pan=1234>");
}

TEST(SerialLineTest, ExchangeSkipsGarbageAndIgnoresBytesFromBeforeTheRequest) {
  PseudoTerminal pty;
  auto line = OpenLine(FastSettings(pty.slave_path()));
  ASSERT_NE(line, nullptr);
  // A stale response nobody asked for is discarded, not taken as the next answer.
  pty.Write("<stale>");
  ASSERT_TRUE(WaitUntil([&] { return line->DiscardedByteCount() == 7; }));

  std::optional<Result<std::string>> answer;
  std::thread caller([&] { answer = line->Exchange("pos?", MatchAngleBrackets, kFailsafe); });
  EXPECT_EQ(pty.Read(4), "pos?");
  pty.Write(std::string("\x00\xFF junk >", 9) + "<fresh>");
  caller.join();
  ASSERT_TRUE(answer->ok()) << answer->error().message;
  EXPECT_EQ(answer->value(), "<fresh>");
}

TEST(SerialLineTest, ExchangeTimesOutWhenNothingAnswersAndTheLineStaysUsable) {
  PseudoTerminal pty;
  auto line = OpenLine(FastSettings(pty.slave_path()));
  ASSERT_NE(line, nullptr);
  const auto start = Clock::now();
  auto answer = line->Exchange("pos?", MatchAngleBrackets, milliseconds(50));
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(SerialErrorKindOf(answer.error()), SerialErrorKind::kTimeout);
  EXPECT_NE(answer.error().message.find("timeout"), std::string::npos) << answer.error().message;
  EXPECT_NE(answer.error().message.find(pty.slave_path()), std::string::npos);
  EXPECT_GE(elapsed, milliseconds(50));
  EXPECT_LT(elapsed, milliseconds(2000));
  EXPECT_EQ(pty.Read(4), "pos?");

  ASSERT_TRUE(line->Send("stop").ok());
  EXPECT_EQ(pty.Read(4), "stop");
  std::optional<Result<std::string>> second;
  std::thread caller([&] { second = line->Exchange("pos?", MatchAngleBrackets, kFailsafe); });
  EXPECT_EQ(pty.Read(4), "pos?");
  pty.Write("<1>");
  caller.join();
  ASSERT_TRUE(second->ok()) << second->error().message;
  EXPECT_EQ(second->value(), "<1>");
}

TEST(SerialLineTest, FrameQueuedBehindAHeldLineTimesOut) {
  PseudoTerminal pty;
  SerialSettings settings = FastSettings(pty.slave_path());
  settings.write_timeout = milliseconds(100);
  auto line = OpenLine(settings);
  ASSERT_NE(line, nullptr);
  std::optional<Result<std::string>> held;
  std::thread holder([&] { held = line->Exchange("query", MatchAngleBrackets, kFailsafe); });
  EXPECT_EQ(pty.Read(5), "query");
  auto sent = line->Send("move");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(SerialErrorKindOf(sent.error()), SerialErrorKind::kTimeout) << sent.error().message;
  pty.Write("<ok>");
  holder.join();
  EXPECT_TRUE(held->ok());
  // The expired frame was dropped, never written late.
  ASSERT_TRUE(line->Send("next").ok());
  EXPECT_EQ(pty.Read(4), "next");
}

TEST(SerialLineTest, KeepsTheInterFrameGap) {
  PseudoTerminal pty;
  SerialSettings settings = FastSettings(pty.slave_path());
  settings.inter_frame_gap = milliseconds(60);
  auto line = OpenLine(settings);
  ASSERT_NE(line, nullptr);
  std::thread sender([&] {
    EXPECT_TRUE(line->Send("one").ok());
    EXPECT_TRUE(line->Send("two").ok());
  });
  EXPECT_EQ(pty.Read(3), "one");
  const auto first = Clock::now();
  EXPECT_EQ(pty.Read(3), "two");
  EXPECT_GE(Clock::now() - first, milliseconds(50));
  sender.join();
}

TEST(SerialLineTest, WireTimeCountsTenBitsPerByte) {
  EXPECT_EQ(SerialLine::WireTime(7, 9600), milliseconds(8));   // 7.3 ms
  EXPECT_EQ(SerialLine::WireTime(7, 2400), milliseconds(30));  // 29.2 ms
  EXPECT_EQ(SerialLine::WireTime(12, 1200), milliseconds(100));
  EXPECT_EQ(SerialLine::WireTime(0, 9600), milliseconds(0));
}

TEST(SerialLineTest, BadSettingsAreClearErrors) {
  PseudoTerminal pty;
  SerialSettings settings = FastSettings(pty.slave_path());
  settings.baud = 1234;
  auto bad_baud = SerialLine::Open(settings);
  ASSERT_FALSE(bad_baud.ok());
  EXPECT_EQ(SerialErrorKindOf(bad_baud.error()), SerialErrorKind::kInvalidSettings);
  EXPECT_NE(bad_baud.error().message.find("1234"), std::string::npos) << bad_baud.error().message;

  settings = FastSettings(pty.slave_path());
  settings.data_bits = 9;
  EXPECT_FALSE(SerialLine::Open(settings).ok());
  settings = FastSettings(pty.slave_path());
  settings.stop_bits = 3;
  EXPECT_FALSE(SerialLine::Open(settings).ok());

  auto missing = SerialLine::Open(FastSettings("/nonexistent/ttyUSB9"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(SerialErrorKindOf(missing.error()), SerialErrorKind::kIo);
  EXPECT_NE(missing.error().message.find("/nonexistent/ttyUSB9"), std::string::npos);
  EXPECT_NE(missing.error().message.find(std::strerror(ENOENT)), std::string::npos)
      << missing.error().message;

  auto not_a_tty = SerialLine::Open(FastSettings("/dev/null"));
  ASSERT_FALSE(not_a_tty.ok());
  EXPECT_NE(not_a_tty.error().message.find("not a terminal"), std::string::npos)
      << not_a_tty.error().message;
}

TEST(SerialLineTest, AcceptsEveryStandardRateAndCharacterFormat) {
  PseudoTerminal pty;
  for (unsigned baud : {1200u, 2400u, 4800u, 9600u, 19200u, 38400u, 57600u, 115200u}) {
    SerialSettings settings = FastSettings(pty.slave_path());
    settings.baud = baud;
    settings.parity = baud == 4800 ? Parity::kEven : Parity::kNone;
    settings.stop_bits = baud == 2400 ? 2 : 1;
    auto line = SerialLine::Open(settings);
    EXPECT_TRUE(line.ok()) << baud << ": " << line.error().message;
  }
}

TEST(SerialLineTest, CloseWhileAnExchangeWaitsFailsItPromptly) {
  PseudoTerminal pty;
  auto line = OpenLine(FastSettings(pty.slave_path()));
  ASSERT_NE(line, nullptr);
  std::optional<Result<std::string>> answer;
  std::thread caller([&] { answer = line->Exchange("pos?", MatchAngleBrackets, kFailsafe); });
  EXPECT_EQ(pty.Read(4), "pos?");
  const auto start = Clock::now();
  line->Close();
  caller.join();
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
  ASSERT_FALSE(answer->ok());
  EXPECT_EQ(SerialErrorKindOf(answer->error()), SerialErrorKind::kClosed)
      << answer->error().message;

  auto after = line->Send("late");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(SerialErrorKindOf(after.error()), SerialErrorKind::kClosed);
  line->Close();  // Idempotent; the destructor closes once more.
}

}  // namespace
}  // namespace onvifgw::adapter_sdk
