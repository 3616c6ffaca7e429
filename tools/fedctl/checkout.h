// Finding files of the developer's checkout (.run/issuer, the demo data)
// without being told where they are, so that fedctl works from any
// directory inside the repository.
#pragma once

#include <string>

namespace fedctl {

// `relative` under the current directory if it is a file there, else under
// the top of the git checkout that contains the current directory; "" when
// neither exists.
std::string FindInCheckout(const std::string& relative);
// The same for a directory.
std::string FindDirectoryInCheckout(const std::string& relative);

}  // namespace fedctl
