// The generated model codecs, on the demo's ChatMessage (demo/protocol/chat_message.yaml, generated into this
// target's build tree by switchboard_add_models): decoding into the struct, encoding it back, and the
// registry's validate(), which is what the server runs on every publish to a typed channel (rooms carry
// ChatMessage in the demo) before broadcasting it. The data is S1's: sender "bench", a 64-byte text.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "switchboard/model/registry.hpp"
#include "switchboard_models.hpp"

namespace {

namespace model = switchboard::model;
namespace models = switchboard::models;

const std::string payload_text = "t1234567890123456789" + std::string(44, 'x');
const std::string chat_data = R"({"sender":"bench","text":")" + payload_text + R"("})";
// As a client that sets the time sends it (without it the decoder reads the clock, measured separately).
const std::string chat_data_with_time =
    R"({"sender":"bench","text":")" + payload_text + R"(","time":"2026-12-04T12:00:00.000Z"})";

void decode(benchmark::State& state, const std::string& json) {
  for (auto _ : state) {
    models::ChatMessage message;
    const auto result = models::from_json(json, message);
    if (!result.ok()) {
      state.SkipWithError(result.error().c_str());
      break;
    }
    benchmark::DoNotOptimize(message);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(json.size()));
}

void BM_ChatMessageDecode(benchmark::State& state) { decode(state, chat_data_with_time); }
BENCHMARK(BM_ChatMessageDecode);

// `time` left out: the decoder fills in the current time (default=now).
void BM_ChatMessageDecodeDefaultTime(benchmark::State& state) { decode(state, chat_data); }
BENCHMARK(BM_ChatMessageDecodeDefaultTime);

void BM_ChatMessageEncode(benchmark::State& state) {
  models::ChatMessage message;
  if (!models::from_json(chat_data_with_time, message).ok()) {
    state.SkipWithError("sample does not decode");
    return;
  }
  std::string out;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    out.clear();  // Reused, as a caller appending into a frame buffer would.
    models::to_json(out, message, model::Scope::client);
    bytes += static_cast<std::int64_t>(out.size());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ChatMessageEncode);

void BM_RegistryValidateChatMessage(benchmark::State& state) {
  model::Registry registry;
  models::register_models(registry);
  for (auto _ : state) {
    const auto result = registry.validate("ChatMessage", chat_data);
    if (!result.ok()) {
      state.SkipWithError(result.error().c_str());
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(chat_data.size()));
}
BENCHMARK(BM_RegistryValidateChatMessage);

}  // namespace
