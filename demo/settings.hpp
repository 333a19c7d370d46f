#pragma once
// The switchboard binary's settings: command-line options and, with --config FILE, a YAML file whose keys are
// the same long option names (docs/configuration.md). The command line wins over the file; everything is
// validated before the server starts, and every error names the option and, for the file, FILE:LINE:COLUMN.

#include <stdexcept>
#include <string>
#include <vector>

#include "switchboard/server.hpp"

namespace switchboard::demo {

struct Settings {
  Options options;
  std::string channels_file;  // "" = the compiled-in demo/channels.yaml
  std::string web_dir;        // "" = the web folder beside the executable
  std::string config_file;    // the --config file, if any
};

struct SettingsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Action { run, help };

// Fills `out` from the arguments (argv[0] is the program). Returns Action::help after writing the usage text to
// `help` when --help was given. Throws SettingsError with a one-line message on any invalid option or value.
Action parse_settings(const std::vector<std::string>& args, Settings& out, std::string& help);

}  // namespace switchboard::demo
