#pragma once

// Sec-WebSocket-Accept for the blaster's handshake (RFC 6455 4.2.2): base64(SHA-1(key + GUID)). SHA-1 is written
// out here (RFC 3174) so that the bench needs no crypto library.

#include <string>
#include <string_view>

namespace bench {

std::string websocket_accept(std::string_view key);

}  // namespace bench
