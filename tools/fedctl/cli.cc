#include "tools/fedctl/cli.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/dates.h"
#include "services/common/topology.h"
#include "tools/fedctl/credentials.h"

namespace fedctl {
namespace {

const OptionSpec* FindOption(const std::vector<OptionSpec>& specs, absl::string_view key) {
  for (const auto& spec : specs) {
    if (CanonicalOptionName(spec.name) == key) return &spec;
  }
  return nullptr;
}

bool ParseSwitchValue(absl::string_view key, absl::string_view value) {
  std::string lower = absl::AsciiStrToLower(value);
  if (lower == "true" || lower == "1" || lower == "yes") return true;
  if (lower == "false" || lower == "0" || lower == "no") return false;
  throw UsageError(absl::StrCat("--", key, " is a switch; it takes no value (or true/false)"));
}

// Stores a global option's value into its field.
void SetGlobal(GlobalOptions& global, const std::string& key, const std::string& value) {
  if (key == "target")
    global.target = value;
  else if (key == "token")
    global.token = value;
  else if (key == "issuer_key")
    global.issuer_key = value;
  else if (key == "as_role")
    global.as_role = value;
  else if (key == "as_org")
    global.as_org = value;
  else if (key == "json")
    global.json = ParseSwitchValue(key, value);
  else if (key == "tls_dir")
    global.tls_dir = value;
  else if (key == "tls_name")
    global.tls_name = value;
  else if (key == "insecure")
    global.insecure = ParseSwitchValue(key, value);
}

bool IsHelpToken(absl::string_view token) { return token == "--help" || token == "-h"; }

// Finds the command named by argv[start] (and argv[start + 1] for two-word
// commands), preferring the longer name. Returns the number of words used.
size_t MatchCommand(const std::vector<std::string>& argv, size_t start,
                    const std::vector<CommandSpec>& commands, const CommandSpec** found) {
  *found = nullptr;
  if (start + 1 < argv.size()) {
    std::string two = absl::StrCat(argv[start], " ", argv[start + 1]);
    for (const auto& command : commands) {
      if (command.name == two) {
        *found = &command;
        return 2;
      }
    }
  }
  for (const auto& command : commands) {
    if (command.name == argv[start]) {
      *found = &command;
      return 1;
    }
  }
  return 0;
}

// Names of the commands starting with `word`, for "did you mean" help when
// only the group word ("org") was given.
std::vector<std::string> CommandsStartingWith(absl::string_view word,
                                              const std::vector<CommandSpec>& commands) {
  std::vector<std::string> names;
  for (const auto& command : commands) {
    if (absl::StartsWith(command.name, absl::StrCat(word, " "))) names.push_back(command.name);
  }
  return names;
}

// Reads options off a command line: the command's own options (searched
// first, when there is a command), then the global ones.
class TokenWalker {
 public:
  TokenWalker(const std::vector<std::string>& argv, const std::vector<OptionSpec>* command_specs)
      : argv_(argv), command_specs_(command_specs) {}

  // Consumes argv[i] (and maybe its value); returns the index after it.
  size_t TakeOption(size_t i, GlobalOptions& global,
                    std::map<std::string, std::vector<std::string>>& options) {
    absl::string_view token = argv_[i];
    token.remove_prefix(2);
    std::string key;
    std::string value;
    bool has_inline_value = false;
    if (auto eq = token.find('='); eq != absl::string_view::npos) {
      key = CanonicalOptionName(token.substr(0, eq));
      value = std::string(token.substr(eq + 1));
      has_inline_value = true;
    } else {
      key = CanonicalOptionName(token);
    }

    const OptionSpec* spec = command_specs_ ? FindOption(*command_specs_, key) : nullptr;
    bool is_command_option = spec != nullptr;
    if (!spec) spec = FindOption(GlobalOptionSpecs(), key);
    if (!spec) {
      throw UsageError(absl::StrCat("unknown option --", token.substr(0, token.find('='))));
    }

    size_t next = i + 1;
    if (spec->is_switch()) {
      value = has_inline_value ? (ParseSwitchValue(key, value) ? "true" : "false") : "true";
    } else if (!has_inline_value) {
      if (next >= argv_.size()) {
        throw UsageError(
            absl::StrCat("option --", spec->name, " needs a value (", spec->value_name, ")"));
      }
      value = argv_[next++];
    }

    if (is_command_option) {
      auto& values = options[key];
      if (!spec->repeatable) values.clear();
      values.push_back(value);
    } else {
      SetGlobal(global, key, value);
    }
    return next;
  }

 private:
  const std::vector<std::string>& argv_;
  const std::vector<OptionSpec>* command_specs_;
};

void CheckRequiredOptions(const CommandSpec& command,
                          const std::map<std::string, std::vector<std::string>>& options) {
  for (const auto& spec : command.options) {
    if (spec.required && options.count(CanonicalOptionName(spec.name)) == 0) {
      throw UsageError(absl::StrCat("missing --", spec.name, " ", spec.value_name));
    }
  }
}

void CheckArgumentCount(const CommandSpec& command, size_t count) {
  if (count < command.min_arguments) {
    throw UsageError(absl::StrCat("'", command.name, "' needs ", command.arguments));
  }
  if (count > command.max_arguments) {
    throw UsageError(command.max_arguments == 0
                         ? absl::StrCat("'", command.name, "' takes no arguments")
                         : absl::StrCat("too many arguments for '", command.name, "'"));
  }
}

std::string OptionSynopsis(const OptionSpec& spec) {
  std::string text = absl::StrCat("--", spec.name);
  if (!spec.is_switch()) absl::StrAppend(&text, " ", spec.value_name);
  if (spec.repeatable) absl::StrAppend(&text, " ...");
  return spec.required ? text : absl::StrCat("[", text, "]");
}

void AppendOptionHelp(std::string& out, const std::vector<OptionSpec>& specs) {
  size_t width = 0;
  for (const auto& spec : specs) width = std::max(width, OptionSynopsis(spec).size());
  for (const auto& spec : specs) {
    std::string synopsis = OptionSynopsis(spec);
    absl::StrAppend(&out, "  ", synopsis, std::string(width - synopsis.size() + 2, ' '), spec.help,
                    "\n");
  }
}

}  // namespace

CommandSpec& CommandSpec::Args(std::string text, size_t min, size_t max) {
  arguments = std::move(text);
  min_arguments = min;
  max_arguments = max;
  return *this;
}

CommandSpec& CommandSpec::Option(std::string option, std::string value_name, std::string help) {
  options.push_back({std::move(option), std::move(value_name), std::move(help), false});
  return *this;
}

CommandSpec& CommandSpec::Required(std::string option, std::string value_name, std::string help) {
  options.push_back({std::move(option), std::move(value_name), std::move(help), true});
  return *this;
}

CommandSpec& CommandSpec::Switch(std::string option, std::string help) {
  options.push_back({std::move(option), "", std::move(help), false});
  return *this;
}

CommandSpec& CommandSpec::Repeatable(std::string option, std::string value_name, std::string help) {
  options.push_back({std::move(option), std::move(value_name), std::move(help), false, true});
  return *this;
}

CommandSpec Command(std::string name, std::string summary,
                    std::function<int(const Invocation&)> run) {
  CommandSpec command;
  command.name = std::move(name);
  command.summary = std::move(summary);
  command.run = std::move(run);
  return command;
}

const std::vector<OptionSpec>& GlobalOptionSpecs() {
  static const auto* specs = new std::vector<OptionSpec>{
      {"target", "HOST:PORT",
       absl::StrCat("registry address (env FED_REGISTRY_TARGET, default ",
                    fed::DefaultAddress("registry"), ")")},
      {"token", "TOKEN", "access token to send (env FED_TOKEN)"},
      {"issuer_key", "FILE",
       "the token issuer's private key <kid>.key, to mint a short-lived token with (env "
       "FED_ISSUER_KEY, else the newest key in .run/issuer/)"},
      {"as_role", "ROLE", "role of a minted token (default national_admin)"},
      {"as_org", "CODE", "organisation of a minted token (default VUSTA)"},
      {"json", "", "print protobuf JSON instead of a table"},
      {"tls_dir", "DIR",
       "TLS files: ca.crt, and NAME.crt + NAME.key when this client has a certificate (env "
       "FED_TLS_DIR, else .run/tls)"},
      {"tls_name", "NAME", "whose certificate in the TLS directory (default operator)"},
      {"insecure", "", "plaintext gRPC instead of TLS (local experiments only)"},
  };
  return *specs;
}

std::string CanonicalOptionName(absl::string_view name) {
  std::string key(name);
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

Invocation::Invocation(const CommandSpec* command, GlobalOptions global,
                       std::vector<std::string> arguments,
                       std::map<std::string, std::vector<std::string>> options)
    : command_(command),
      global_(std::move(global)),
      arguments_(std::move(arguments)),
      options_(std::move(options)) {}

std::string Invocation::argument(size_t i) const {
  return i < arguments_.size() ? arguments_[i] : std::string();
}

bool Invocation::Has(absl::string_view option) const {
  return options_.count(CanonicalOptionName(option)) > 0;
}

std::string Invocation::Get(absl::string_view option, const std::string& fallback) const {
  auto it = options_.find(CanonicalOptionName(option));
  return it == options_.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> Invocation::GetAll(absl::string_view option) const {
  auto it = options_.find(CanonicalOptionName(option));
  return it == options_.end() ? std::vector<std::string>() : it->second;
}

bool Invocation::Switch(absl::string_view option) const { return Get(option) == "true"; }

int64_t Invocation::GetInt(absl::string_view option, int64_t fallback) const {
  if (!Has(option)) return fallback;
  int64_t value = 0;
  if (!absl::SimpleAtoi(Get(option), &value)) {
    throw UsageError(
        absl::StrCat("--", option, " must be a whole number, got '", Get(option), "'"));
  }
  return value;
}

int64_t Invocation::GetCount(absl::string_view option, int64_t fallback) const {
  int64_t value = GetInt(option, fallback);
  if (value < 0) throw UsageError(absl::StrCat("--", option, " must not be negative"));
  return value;
}

int Invocation::GetYear(absl::string_view option) const {
  int64_t year = GetInt(option, fed::Today().year());
  if (year < 1900 || year > 2200) {
    throw UsageError(absl::StrCat("--", option, " must be a year such as 2025"));
  }
  return static_cast<int>(year);
}

std::string Invocation::GetDate(absl::string_view option, const std::string& fallback) const {
  if (!Has(option)) return fallback;
  std::string text = Get(option);
  if (auto parsed = fed::ParseDate(text); !parsed.ok()) {
    throw UsageError(
        absl::StrCat("--", option, " ", parsed.status().message(), ", got '", text, "'"));
  }
  return text;
}

std::vector<std::string> Invocation::GetList(absl::string_view option) const {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(Get(option), ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

namespace {

// The options before the command: only global ones. Returns the index of
// the first word that is not an option; sets `help` for --help / -h.
size_t ParseLeadingGlobals(const std::vector<std::string>& argv, GlobalOptions& global,
                           bool* help) {
  std::map<std::string, std::vector<std::string>> no_command_options;
  TokenWalker globals_only(argv, nullptr);
  size_t i = 0;
  while (i < argv.size() && absl::StartsWith(argv[i], "-")) {
    if (IsHelpToken(argv[i])) {
      *help = true;
      return i;
    }
    if (!absl::StartsWith(argv[i], "--"))
      throw UsageError(absl::StrCat("unknown option ", argv[i]));
    i = globals_only.TakeOption(i, global, no_command_options);
  }
  return i;
}

// The command named at argv[i]; throws for an unknown one. For `help org`
// (a group word without a subcommand) returns null and sets help_group.
const CommandSpec* IdentifyCommand(const std::vector<std::string>& argv, size_t i,
                                   const std::vector<CommandSpec>& commands, bool for_help,
                                   size_t* words, std::string* help_group) {
  const CommandSpec* command = nullptr;
  *words = MatchCommand(argv, i, commands, &command);
  if (command) return command;
  auto group = CommandsStartingWith(argv[i], commands);
  if (group.empty()) throw UsageError(absl::StrCat("unknown command '", argv[i], "'"));
  if (for_help) {
    *help_group = argv[i];
    return nullptr;
  }
  throw UsageError(
      absl::StrCat("'", argv[i], "' needs a subcommand: ", absl::StrJoin(group, ", ")));
}

// The command's options and arguments, in any order, from argv[i] on.
// Returns false when --help / -h was among them.
bool ParseCommandTokens(const std::vector<std::string>& argv, size_t i, const CommandSpec& command,
                        GlobalOptions& global, std::vector<std::string>& arguments,
                        std::map<std::string, std::vector<std::string>>& options) {
  TokenWalker walker(argv, &command.options);
  bool options_ended = false;
  while (i < argv.size()) {
    const std::string& token = argv[i];
    if (!options_ended && token == "--") {
      options_ended = true;
      ++i;
    } else if (!options_ended && IsHelpToken(token)) {
      return false;
    } else if (!options_ended && absl::StartsWith(token, "--")) {
      i = walker.TakeOption(i, global, options);
    } else {
      arguments.push_back(token);
      ++i;
    }
  }
  return true;
}

}  // namespace

ParsedCommandLine ParseCommandLine(const std::vector<std::string>& argv,
                                   const std::vector<CommandSpec>& commands,
                                   const CommandSpec** recognised) {
  *recognised = nullptr;
  ParsedCommandLine parsed;
  GlobalOptions global;
  size_t i = ParseLeadingGlobals(argv, global, &parsed.help);
  if (parsed.help || i == argv.size()) {
    parsed.help = true;
    return parsed;
  }

  // `fedctl help [COMMAND...]`.
  if (argv[i] == "help") {
    parsed.help = true;
    if (++i == argv.size()) return parsed;
  }

  size_t words = 0;
  parsed.command = IdentifyCommand(argv, i, commands, parsed.help, &words, &parsed.help_group);
  *recognised = parsed.command;
  if (parsed.help) return parsed;

  std::vector<std::string> arguments;
  std::map<std::string, std::vector<std::string>> options;
  if (!ParseCommandTokens(argv, i + words, *parsed.command, global, arguments, options)) {
    parsed.help = true;
    return parsed;
  }
  CheckArgumentCount(*parsed.command, arguments.size());
  CheckRequiredOptions(*parsed.command, options);

  ApplyEnvironmentDefaults(global);
  parsed.invocation =
      Invocation(parsed.command, std::move(global), std::move(arguments), std::move(options));
  return parsed;
}

void ApplyEnvironmentDefaults(GlobalOptions& global) {
  auto from_env = [](std::string& field, const char* variable) {
    if (!field.empty()) return;
    if (const char* value = std::getenv(variable); value != nullptr) field = value;
  };
  from_env(global.target, "FED_REGISTRY_TARGET");
  from_env(global.token, "FED_TOKEN");
  from_env(global.issuer_key, "FED_ISSUER_KEY");
  if (!global.insecure) from_env(global.tls_dir, "FED_TLS_DIR");
  if (global.tls_name.empty()) global.tls_name = "operator";
  if (global.target.empty()) global.target = fed::DefaultAddress("registry");
  if (global.as_role.empty()) global.as_role = "national_admin";
  if (global.as_org.empty()) global.as_org = "VUSTA";
}

std::string CommandSynopsis(const Program& program, const CommandSpec& command) {
  std::string synopsis = absl::StrCat("usage: ", program.name, " ", command.name);
  if (!command.arguments.empty()) absl::StrAppend(&synopsis, " ", command.arguments);
  for (const auto& spec : command.options) absl::StrAppend(&synopsis, " ", OptionSynopsis(spec));
  return synopsis;
}

std::string CommandUsage(const Program& program, const CommandSpec& command) {
  std::string out = absl::StrCat(CommandSynopsis(program, command), "\n\n", command.summary, "\n");
  if (!command.options.empty()) {
    absl::StrAppend(&out, "\noptions:\n");
    AppendOptionHelp(out, command.options);
  }
  absl::StrAppend(&out, "\nglobal options:\n");
  AppendOptionHelp(out, GlobalOptionSpecs());
  return out;
}

std::string GeneralUsage(const Program& program, const std::vector<CommandSpec>& commands) {
  std::string out =
      absl::StrCat("usage: ", program.name, " [global options] COMMAND [arguments] [options]\n\n",
                   program.summary, "\n\ncommands:\n");
  size_t width = 0;
  for (const auto& command : commands) width = std::max(width, command.name.size());
  for (const auto& command : commands) {
    absl::StrAppend(&out, "  ", command.name, std::string(width - command.name.size() + 2, ' '),
                    command.summary, "\n");
  }
  absl::StrAppend(&out, "\nglobal options:\n");
  AppendOptionHelp(out, GlobalOptionSpecs());
  absl::StrAppend(&out,
                  "\nOptions are --key value or --key=value; '-' and '_' in keys are the same.\n",
                  "'", program.name, " help COMMAND' or '", program.name,
                  " COMMAND --help' shows a command's options.\n"
                  "Exit status: 0 success, 1 the server refused or failed, 2 bad command line.\n");
  return out;
}

namespace {

void PrintHelp(const Program& program, const ParsedCommandLine& parsed,
               const std::vector<CommandSpec>& commands) {
  if (parsed.command) {
    std::cout << CommandUsage(program, *parsed.command);
  } else if (!parsed.help_group.empty()) {
    bool first = true;
    for (const auto& command : commands) {
      if (!absl::StartsWith(command.name, absl::StrCat(parsed.help_group, " "))) continue;
      std::cout << (first ? "" : "\n") << CommandUsage(program, command);
      first = false;
    }
  } else {
    std::cout << GeneralUsage(program, commands);
  }
}

}  // namespace

int RunCommandLine(const Program& program, const std::vector<CommandSpec>& commands,
                   const std::vector<std::string>& args) {
  const CommandSpec* recognised = nullptr;
  try {
    ParsedCommandLine parsed = ParseCommandLine(args, commands, &recognised);
    if (parsed.help) {
      PrintHelp(program, parsed, commands);
      return 0;
    }
    // Checked when a channel is opened: commands that call no service
    // (token issue) work without certificates.
    fed::SetTransport(fed::LoadTransport(TransportOptionsFor(parsed.invocation.global())));
    return parsed.command->run(parsed.invocation);
  } catch (const UsageError& error) {
    std::cerr << "error: " << error.what() << "\n";
    if (recognised) {
      std::cerr << CommandSynopsis(program, *recognised) << "\n(" << program.name << " help "
                << recognised->name << " explains the options)\n";
    } else {
      std::cerr << "(" << program.name << " help lists the commands)\n";
    }
    return 2;
  }
}

}  // namespace fedctl
