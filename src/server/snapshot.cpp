#include "protocol/json_writer.hpp"
#include "switchboard/server.hpp"

namespace switchboard {

namespace {

void append_names(std::string& out, const std::vector<std::string>& names) {
  out.push_back('[');
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out.push_back(',');
    protocol::append_json_string(out, names[i]);
  }
  out.push_back(']');
}

}  // namespace

std::string to_json(const Snapshot& s) {
  using protocol::append_json_string;
  using protocol::append_uint;
  std::string out = "{\"sessions\":[";
  for (std::size_t i = 0; i < s.sessions.size(); ++i) {
    const auto& session = s.sessions[i];
    if (i) out.push_back(',');
    out.append("{\"id\":\"");
    append_uint(out, session.id);
    out.append("\",\"user\":");
    append_json_string(out, session.user);
    out.append(",\"remote\":");
    append_json_string(out, session.remote);
    out.append(",\"channels\":");
    append_names(out, session.channels);
    out.append(",\"groups\":");
    append_names(out, session.groups);
    out.push_back('}');
  }
  out.append("],\"channels\":[");
  for (std::size_t i = 0; i < s.channels.size(); ++i) {
    if (i) out.push_back(',');
    out.append("{\"name\":");
    append_json_string(out, s.channels[i].name);
    out.append(",\"subscribers\":");
    append_uint(out, s.channels[i].subscribers);
    out.append(",\"lastSeq\":");
    append_uint(out, s.channels[i].last_seq);
    out.push_back('}');
  }
  out.append("],\"subscriptions\":");
  append_uint(out, s.subscriptions);
  out.append(",\"groupMemberships\":");
  append_uint(out, s.group_memberships);
  out.append(",\"sessionsOpened\":");
  append_uint(out, s.sessions_opened);
  out.append(",\"sessionsClosed\":");
  append_uint(out, s.sessions_closed);
  out.push_back('}');
  return out;
}

}  // namespace switchboard
