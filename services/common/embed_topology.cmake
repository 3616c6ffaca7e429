# The suite's services and default ports, deploy/topology.txt, as constant
# data behind services/common/topology.h (fed::DefaultPort, ...): the file is
# the one place a port is written. A malformed line, a name or a port given
# twice stops the configure step.
function(federation_embed_topology target file)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  file(READ ${file} text)
  # One list element a line (a ';' or bracket in a comment must not split it).
  string(REPLACE ";" " " text "${text}")
  string(REPLACE "[" " " text "${text}")
  string(REPLACE "]" " " text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(rows "")
  set(names "")
  set(ports "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "#.*$" "" line "${line}")
    string(STRIP "${line}" line)
    if(line STREQUAL "")
      continue()
    endif()
    if(NOT line MATCHES "^([a-z][a-z0-9_]*)[ \t]+([0-9]+)[ \t]+(grpc|http)$")
      message(FATAL_ERROR "${file}: expected \"name port grpc|http\", got \"${line}\"")
    endif()
    set(name ${CMAKE_MATCH_1})
    set(port ${CMAKE_MATCH_2})
    set(kind ${CMAKE_MATCH_3})
    if(port LESS 1 OR port GREATER 65535)
      message(FATAL_ERROR "${file}: ${name}: port ${port} is not a TCP port")
    endif()
    if(name IN_LIST names)
      message(FATAL_ERROR "${file}: service ${name} is listed twice")
    endif()
    if(port IN_LIST ports)
      message(FATAL_ERROR "${file}: port ${port} (${name}) is given to two services")
    endif()
    list(APPEND names ${name})
    list(APPEND ports ${port})
    if(kind STREQUAL "grpc")
      set(kind kGrpc)
    else()
      set(kind kHttp)
    endif()
    string(APPEND rows "      {\"${name}\", ${port}, ServiceKind::${kind}},\n")
  endforeach()
  if(names STREQUAL "")
    message(FATAL_ERROR "${file}: no services")
  endif()
  file(RELATIVE_PATH source ${PROJECT_SOURCE_DIR} ${file})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_topology.cc)
  file(CONFIGURE OUTPUT ${out} CONTENT
"// Generated from ${source} by federation_embed_topology; do not edit.
#include \"services/common/topology.h\"
namespace fed {
absl::Span<const ServiceEndpoint> Services() {
  // Constant-initialised: usable before main (flag defaults).
  static constexpr ServiceEndpoint kServices[] = {
${rows}  };
  return kServices;
}
}  // namespace fed
" @ONLY)
  target_sources(${target} PRIVATE ${out})
endfunction()
