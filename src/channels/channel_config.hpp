#pragma once
// channels.yaml: the configuration of typed channels (docs/protocol.md, "Typed channels"). The public entry
// point is switchboard::load_channel_rules(path); this is its parser, separate from the file so that it is
// tested on strings.

#include <string>
#include <string_view>

#include "switchboard/channel_rules.hpp"

namespace switchboard::channels {

// Parses the YAML `text` of a channels.yaml. Throws std::runtime_error with
// "SOURCE:LINE:COLUMN: what is wrong" (1-based) on any error: invalid YAML, an unknown key, a value of the
// wrong type, a bad `publish` value, a bad name or pattern, a channel declared twice, an empty or repeated
// class name. `source` names the text in those messages, usually the file's path.
ChannelRules parse_channel_rules(std::string_view text, std::string_view source);

}  // namespace switchboard::channels
