#include "protocol/server_frames.hpp"

#include <fmt/format.h>

#include <iterator>

#include "protocol/json_writer.hpp"

namespace switchboard::protocol {

namespace {

void append_model(std::string& out, std::string_view class_name, std::string_view data) {
  out.append("{\"className\":");
  append_json_string(out, class_name);
  out.append(",\"data\":");
  out.append(data);
  out.push_back('}');
}

}  // namespace

std::string welcome_frame(const WelcomeInfo& info) {
  std::string out = "{\"type\":\"welcome\",\"session\":\"";
  append_uint(out, info.session);
  out.append("\",\"protocol\":");
  append_uint(out, protocol_version);
  out.append(",\"server\":");
  append_json_string(out, info.server);
  out.append(",\"heartbeatMs\":");
  append_uint(out, static_cast<std::uint64_t>(info.heartbeat.count()));
  out.append(",\"limits\":{\"maxMessageBytes\":");
  append_uint(out, info.max_message_bytes);
  out.append(",\"maxSubscriptions\":");
  append_uint(out, info.max_subscriptions);
  if (info.publish_rate > 0) {
    out.append(",\"publishRate\":");
    fmt::format_to(std::back_inserter(out), "{}", info.publish_rate);  // Shortest form: 10, 2.5
    out.append(",\"publishBurst\":");
    fmt::format_to(std::back_inserter(out), "{}", info.publish_burst);
  }
  out.append("}}");
  return out;
}

std::string ack_frame(std::uint64_t id, std::optional<std::uint64_t> seq) {
  std::string out = "{\"type\":\"ack\",\"id\":";
  append_uint(out, id);
  if (seq) {
    out.append(",\"seq\":");
    append_uint(out, *seq);
  }
  out.push_back('}');
  return out;
}

std::string error_frame(std::optional<std::uint64_t> id, error code, std::string_view message) {
  std::string out = "{\"type\":\"error\",";
  if (id) {
    out.append("\"id\":");
    append_uint(out, *id);
    out.push_back(',');
  }
  out.append("\"code\":");
  append_json_string(out, to_wire_code(code));
  out.append(",\"message\":");
  append_json_string(out, message);
  out.push_back('}');
  return out;
}

std::string pong_frame(std::optional<std::uint64_t> id) {
  if (!id) return "{\"type\":\"pong\"}";
  std::string out = "{\"type\":\"pong\",\"id\":";
  append_uint(out, *id);
  out.push_back('}');
  return out;
}

std::string message_frame(std::string_view channel, std::uint64_t seq, std::string_view class_name,
                          std::string_view data) {
  std::string out;
  out.reserve(64 + channel.size() + class_name.size() + data.size());
  out.append("{\"type\":\"message\",\"channel\":");
  append_json_string(out, channel);
  out.append(",\"seq\":");
  append_uint(out, seq);
  out.append(",\"message\":");
  append_model(out, class_name, data);
  out.push_back('}');
  return out;
}

std::string push_frame(std::string_view class_name, std::string_view data, std::string_view group) {
  std::string out;
  out.reserve(48 + group.size() + class_name.size() + data.size());
  out.append("{\"type\":\"push\",");
  if (!group.empty()) {
    out.append("\"group\":");
    append_json_string(out, group);
    out.push_back(',');
  }
  out.append("\"message\":");
  append_model(out, class_name, data);
  out.push_back('}');
  return out;
}

std::string gap_frame(std::string_view channel, std::uint64_t from_seq, std::uint64_t to_seq) {
  std::string out = "{\"type\":\"gap\",\"channel\":";
  append_json_string(out, channel);
  out.append(",\"fromSeq\":");
  append_uint(out, from_seq);
  out.append(",\"toSeq\":");
  append_uint(out, to_seq);
  out.push_back('}');
  return out;
}

std::string gap_frame(std::uint64_t pushes) {
  std::string out = "{\"type\":\"gap\",\"pushes\":";
  append_uint(out, pushes);
  out.push_back('}');
  return out;
}

}  // namespace switchboard::protocol
