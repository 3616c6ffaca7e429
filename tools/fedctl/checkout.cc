#include "tools/fedctl/checkout.h"

#include <filesystem>
#include <system_error>

namespace fedctl {
namespace {

namespace fs = std::filesystem;

bool IsRegularFile(const fs::path& path) {
  std::error_code ignored;
  return fs::is_regular_file(path, ignored);
}

// The nearest directory at or above `start` holding a .git entry (a
// directory, or a file in worktrees). Walking up instead of running
// `git rev-parse --show-toplevel` keeps git out of fedctl's run-time needs.
fs::path GitTopLevel(const fs::path& start) {
  std::error_code ignored;
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ignored)) return dir;
    if (dir == dir.root_path()) break;
  }
  return {};
}

bool IsDirectory(const fs::path& path) {
  std::error_code ignored;
  return fs::is_directory(path, ignored);
}

}  // namespace

std::string FindDirectoryInCheckout(const std::string& relative) {
  std::error_code error;
  fs::path cwd = fs::current_path(error);
  if (error) return "";
  if (IsDirectory(cwd / relative)) return (cwd / relative).string();
  fs::path top = GitTopLevel(cwd);
  if (!top.empty() && IsDirectory(top / relative)) return (top / relative).string();
  return "";
}

std::string FindInCheckout(const std::string& relative) {
  std::error_code error;
  fs::path cwd = fs::current_path(error);
  if (error) return "";
  if (IsRegularFile(cwd / relative)) return (cwd / relative).string();
  fs::path top = GitTopLevel(cwd);
  if (!top.empty() && IsRegularFile(top / relative)) return (top / relative).string();
  return "";
}

}  // namespace fedctl
