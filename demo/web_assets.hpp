#pragma once
// The demo's web page: every file of a folder, read once at start-up, to be served from memory by exact path.
// Nothing touches the filesystem per request, so a request cannot reach a file outside the folder.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::demo {

struct WebAsset {
  std::string path;          // the URL path: "/chat.js", "/client/index.js"; "/" for the top-level index.html
  std::string content_type;  // from the file's extension, see content_type_for()
  std::string body;
};

// The Content-Type for a file name, by its extension (case-insensitive): text/html; charset=utf-8, text/javascript,
// text/css, image/svg+xml, ...; application/octet-stream for anything else.
std::string_view content_type_for(std::string_view file_name);

// Every regular file under `dir`, recursively, ordered by path. The top-level index.html is served both as "/" and
// as "/index.html". Throws std::filesystem::filesystem_error when `dir` or a file in it cannot be read; the caller
// checks that `dir` exists first.
std::vector<WebAsset> load_web_assets(const std::filesystem::path& dir);

// The `web` folder beside the running executable (/proc/self/exe), where the build puts the page.
std::filesystem::path default_web_dir();

}  // namespace switchboard::demo
