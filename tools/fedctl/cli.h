// fedctl's command line: commands declare their arguments and options, and a
// small hand-written parser checks a command line against them. (absl flags
// cannot take per-command options, nor spellings such as `--as-of`.)
//
// Rules:
//   fedctl [global options] COMMAND [SUBCOMMAND] [arguments] [options]
//   - options are `--key value` or `--key=value`; `-` and `_` in keys are
//     equivalent (`--as-of` == `--as_of`); given twice, the last one counts,
//     except for options declared repeatable, which keep every value;
//   - switches (`--json`) take no value, or `=true` / `=false`;
//   - `--` ends the options; everything after it is an argument;
//   - before the command only global options are allowed; after it a
//     command's own option wins over a global one of the same name
//     (`audit --target 14` filters the audit; put the server address before
//     the command: `fedctl --target host:port audit --target 14`).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace fedctl {

// A command line that does not fit its command; main prints it with the
// command's usage and exits 2. An exception rather than a status because any
// option accessor deep inside a command may find a bad value, and every
// such case ends the program the same way.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  // As shown in help, e.g. "as-of"; matched with '-' and '_' equivalent.
  std::string name;
  // Placeholder for the value in help ("DATE"); empty for a switch.
  std::string value_name;
  std::string help;
  bool required = false;
  // Each occurrence adds a value (`--votes 14=3 --votes 15=2`); see GetAll.
  bool repeatable = false;

  bool is_switch() const { return value_name.empty(); }
};

class Invocation;

struct CommandSpec {
  // One or two words: "provinces", "org show".
  std::string name;
  // Positional arguments as shown in help: "CODE", "[CODE]".
  std::string arguments;
  std::string summary;
  std::vector<OptionSpec> options;
  size_t min_arguments = 0;
  size_t max_arguments = 0;
  // Returns the exit code: 0 success, 1 failed RPC, 2 usage (or throws UsageError).
  std::function<int(const Invocation&)> run;

  // Chainable setters, so that a command reads as one declaration:
  //   Command("org show", "Show one organisation.", RunOrgShow).Args("CODE", 1, 1)
  CommandSpec& Args(std::string text, size_t min, size_t max);
  CommandSpec& Option(std::string option, std::string value_name, std::string help);
  CommandSpec& Required(std::string option, std::string value_name, std::string help);
  CommandSpec& Switch(std::string option, std::string help);
  // An option that may be given any number of times (also none).
  CommandSpec& Repeatable(std::string option, std::string value_name, std::string help);
};

CommandSpec Command(std::string name, std::string summary,
                    std::function<int(const Invocation&)> run);

// Options every command accepts, after environment defaults are applied.
struct GlobalOptions {
  std::string target;
  std::string token;
  std::string issuer_key;  // as given; empty means "look for one"
  std::string as_role;
  std::string as_org;
  bool json = false;
  // The transport (services/common/transport.h): --tls_dir / FED_TLS_DIR,
  // else .run/tls of the checkout; --tls_name (default "operator");
  // --insecure for plaintext.
  std::string tls_dir;
  std::string tls_name;
  bool insecure = false;
};

// The global options as OptionSpecs, for parsing and help.
const std::vector<OptionSpec>& GlobalOptionSpecs();

// One parsed command line, as seen by the command's run function.
class Invocation {
 public:
  // `options` holds each option's values in command-line order.
  Invocation(const CommandSpec* command, GlobalOptions global, std::vector<std::string> arguments,
             std::map<std::string, std::vector<std::string>> options);

  const CommandSpec& command() const { return *command_; }
  const GlobalOptions& global() const { return global_; }
  bool json() const { return global_.json; }

  const std::vector<std::string>& arguments() const { return arguments_; }
  // The i-th positional argument, or "" when there are fewer.
  std::string argument(size_t i) const;

  // Options are named as in OptionSpec; '-' and '_' are equivalent.
  bool Has(absl::string_view option) const;
  // The value given last.
  std::string Get(absl::string_view option, const std::string& fallback = "") const;
  // Every value of a repeatable option, in order; empty when not given.
  std::vector<std::string> GetAll(absl::string_view option) const;
  bool Switch(absl::string_view option) const;
  // These throw UsageError when the value is malformed.
  int64_t GetInt(absl::string_view option, int64_t fallback) const;
  // A count such as a number of members: a non-negative integer.
  int64_t GetCount(absl::string_view option, int64_t fallback) const;
  // A calendar year; defaults to the current year in Vietnam.
  int GetYear(absl::string_view option) const;
  // A date "YYYY-MM-DD", checked for being a real day; `fallback` when absent.
  std::string GetDate(absl::string_view option, const std::string& fallback = "") const;
  // A comma-separated list ("44,45"), blanks dropped.
  std::vector<std::string> GetList(absl::string_view option) const;

 private:
  const CommandSpec* command_;
  GlobalOptions global_;
  std::vector<std::string> arguments_;
  std::map<std::string, std::vector<std::string>> options_;  // canonical key -> values
};

// "as-of" -> "as_of".
std::string CanonicalOptionName(absl::string_view name);

// What the command line asks for.
struct ParsedCommandLine {
  const CommandSpec* command = nullptr;  // null: general help
  bool help = false;                     // --help / -h / `help CMD`
  std::string help_group;                // `help org`: every "org ..." command
  Invocation invocation{nullptr, {}, {}, {}};
};

// Parses argv (without the program name) against `commands`. Throws
// UsageError; the error names the command when one was recognised, via
// `*recognised`, so that its usage can be shown.
ParsedCommandLine ParseCommandLine(const std::vector<std::string>& argv,
                                   const std::vector<CommandSpec>& commands,
                                   const CommandSpec** recognised);

// Environment and built-in defaults for options not given on the command line.
void ApplyEnvironmentDefaults(GlobalOptions& global);

// A program built on this command line (fedctl, fed-demo): its name as
// usage lines show it and what it is, for the general help.
struct Program {
  std::string name;     // "fedctl"
  std::string summary;  // "Command-line client of the federation registry."
};

// "usage: fedctl org create --code CODE ... [--short-name TEXT]".
std::string CommandSynopsis(const Program& program, const CommandSpec& command);
// The synopsis, summary and help for every option.
std::string CommandUsage(const Program& program, const CommandSpec& command);
// The list of all commands and global options.
std::string GeneralUsage(const Program& program, const std::vector<CommandSpec>& commands);

// A program's main(): parses `args` (argv without the program name) against
// `commands`, prints help when asked, else runs the one command named and
// returns its exit code; a usage error is printed with the command's
// synopsis and returns 2.
int RunCommandLine(const Program& program, const std::vector<CommandSpec>& commands,
                   const std::vector<std::string>& args);

}  // namespace fedctl
