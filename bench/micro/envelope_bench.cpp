// The envelope codec: decoding client frames (protocol/client_frame.hpp, what the server does once per frame a
// client sends) and encoding server frames (protocol/server_frames.hpp, once per broadcast and once per ack).
// The frames are S1's: a demo ChatMessage publish with a 64-byte text on a room: channel.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <variant>

#include "protocol/client_frame.hpp"
#include "protocol/server_frames.hpp"

namespace {

namespace protocol = switchboard::protocol;

// 64 bytes of text, as loadgen sends: a marker, a 19-digit send time, padding.
const std::string payload_text = "t1234567890123456789" + std::string(44, 'x');
const std::string chat_data = R"({"sender":"bench","text":")" + payload_text + R"("})";
const std::string publish_text =
    R"({"type":"publish","id":12345,"channel":"room:bench-1234","message":{"className":"ChatMessage","data":)" +
    chat_data + "}}";
const std::string subscribe_text = R"({"type":"subscribe","id":1,"channel":"room:bench-1234"})";

void decode(benchmark::State& state, const std::string& text) {
  protocol::ClientFrameDecoder decoder;
  for (auto _ : state) {
    auto result = decoder.decode(text);
    if (!std::holds_alternative<protocol::ClientFrame>(result)) {
      state.SkipWithError("the frame did not decode");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_DecodePublish(benchmark::State& state) { decode(state, publish_text); }
BENCHMARK(BM_DecodePublish);

void BM_DecodeSubscribe(benchmark::State& state) { decode(state, subscribe_text); }
BENCHMARK(BM_DecodeSubscribe);

// One broadcast's frame text, built once per publish whatever the number of subscribers.
void BM_EncodeMessage(benchmark::State& state) {
  std::uint64_t seq = 1'000'000;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    std::string frame = protocol::message_frame("room:bench-1234", ++seq, "ChatMessage", chat_data);
    bytes += static_cast<std::int64_t>(frame.size());
    benchmark::DoNotOptimize(frame);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_EncodeMessage);

// The publisher's ack, one per publish.
void BM_EncodeAck(benchmark::State& state) {
  std::uint64_t seq = 1'000'000;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    ++seq;
    std::string frame = protocol::ack_frame(seq + 7, seq);
    bytes += static_cast<std::int64_t>(frame.size());
    benchmark::DoNotOptimize(frame);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_EncodeAck);

}  // namespace
