#include "tools/fedctl/cli.h"

#include <gtest/gtest.h>

namespace fedctl {
namespace {

int Noop(const Invocation&) { return 0; }

std::vector<CommandSpec> TestCommands() {
  return {
      Command("provinces", "list", Noop).Option("as-of", "DATE", "").Switch("all", ""),
      Command("org show", "show", Noop).Args("CODE", 1, 1),
      Command("org create", "create", Noop)
          .Required("code", "CODE", "")
          .Option("short-name", "TEXT", ""),
      Command("audit", "audit", Noop).Option("target", "WHAT", ""),
      Command("ballot", "ballot", Noop).Repeatable("votes", "CODE=N", "").Option("kind", "K", ""),
  };
}

ParsedCommandLine Parse(std::vector<std::string> argv) {
  static const auto* commands = new std::vector<CommandSpec>(TestCommands());
  const CommandSpec* recognised = nullptr;
  return ParseCommandLine(argv, *commands, &recognised);
}

TEST(CliTest, HyphensAndUnderscoresAreTheSame) {
  auto parsed = Parse({"provinces", "--as_of", "2025-07-01"});
  EXPECT_EQ(parsed.invocation.GetDate("as-of"), "2025-07-01");
  parsed = Parse({"provinces", "--as-of=2024-12-31", "--all"});
  EXPECT_EQ(parsed.invocation.Get("as_of"), "2024-12-31");
  EXPECT_TRUE(parsed.invocation.Switch("all"));
}

TEST(CliTest, TwoWordCommandsTakeArguments) {
  auto parsed = Parse({"org", "show", "14", "--json"});
  ASSERT_NE(parsed.command, nullptr);
  EXPECT_EQ(parsed.command->name, "org show");
  EXPECT_EQ(parsed.invocation.argument(0), "14");
  EXPECT_TRUE(parsed.invocation.json());
}

TEST(CliTest, GlobalOptionsBeforeAndAfterTheCommand) {
  auto parsed = Parse({"--target=host:1", "provinces", "--token", "abc"});
  EXPECT_EQ(parsed.invocation.global().target, "host:1");
  EXPECT_EQ(parsed.invocation.global().token, "abc");
}

TEST(CliTest, CommandOptionShadowsGlobalOne) {
  auto parsed = Parse({"--target", "host:2", "audit", "--target", "14"});
  EXPECT_EQ(parsed.invocation.global().target, "host:2");
  EXPECT_EQ(parsed.invocation.Get("target"), "14");
}

TEST(CliTest, RepeatableOptionsKeepEveryValue) {
  auto parsed = Parse({"ballot", "--votes=14=3", "--kind", "a", "--votes", "15=2", "--kind=b"});
  EXPECT_EQ(parsed.invocation.GetAll("votes"), (std::vector<std::string>{"14=3", "15=2"}));
  EXPECT_EQ(parsed.invocation.Get("votes"), "15=2");
  // Others keep the last value only.
  EXPECT_EQ(parsed.invocation.GetAll("kind"), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(Parse({"ballot"}).invocation.GetAll("votes").empty());
}

TEST(CliTest, UsageErrors) {
  EXPECT_THROW(Parse({"provinces", "--bogus"}), UsageError);
  EXPECT_THROW(Parse({"provinces", "--as-of"}), UsageError);
  EXPECT_THROW(Parse({"org", "show"}), UsageError);
  EXPECT_THROW(Parse({"org", "show", "14", "15"}), UsageError);
  EXPECT_THROW(Parse({"org", "create"}), UsageError);  // --code is required
  EXPECT_THROW(Parse({"nonsense"}), UsageError);
  EXPECT_THROW(Parse({"org"}), UsageError);
  EXPECT_THROW(Parse({"provinces", "--all=maybe"}), UsageError);
  auto parsed = Parse({"provinces", "--as-of", "2025-02-30"});
  EXPECT_THROW(parsed.invocation.GetDate("as-of"), UsageError);
}

TEST(CliTest, HelpForms) {
  EXPECT_TRUE(Parse({}).help);
  EXPECT_TRUE(Parse({"--help"}).help);
  auto parsed = Parse({"help", "org", "show"});
  EXPECT_TRUE(parsed.help);
  ASSERT_NE(parsed.command, nullptr);
  EXPECT_EQ(parsed.command->name, "org show");
  EXPECT_EQ(Parse({"help", "org"}).help_group, "org");
  EXPECT_TRUE(Parse({"org", "create", "--help"}).help);
}

TEST(CliTest, DoubleDashEndsOptions) {
  auto parsed = Parse({"org", "show", "--", "--weird"});
  EXPECT_EQ(parsed.invocation.argument(0), "--weird");
}

}  // namespace
}  // namespace fedctl
