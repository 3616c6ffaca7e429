#!/usr/bin/env bash
# deploy_package (ctest): builds the Debian package from build directory $1
# (cpack, into a scratch directory, so the build tree keeps no .deb) and
# checks what an operator would install: every server of deploy/topology.txt,
# fedctl and fed-demo, a unit per service and the target, the env files as
# conffiles, the page, the provisioning files, and the control fields. When
# systemd-analyze is there, every unit is verified against the unpacked
# package (its ExecStart binaries exist and run as written).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
readonly ROOT
readonly BUILD_DIR=${1:?usage: package_test.sh BUILD_DIR}
readonly TOPOLOGY="$ROOT/deploy/topology.txt"

failures=0
checks=0
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}
check() {
  checks=$((checks + 1))
}

services() {
  sed -e 's/#.*//' "$TOPOLOGY" | awk 'NF == 3 { print $1 }'
}

build_package() {
  local log="$SCRATCH/cpack.log"
  local start=$SECONDS
  if ! cpack -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$SCRATCH/out" >"$log" 2>&1; then
    cat "$log" >&2
    printf 'error: cpack failed\n' >&2
    exit 1
  fi
  DEB=$(find "$SCRATCH/out" -maxdepth 1 -name 'federation_*.deb' | head -n 1)
  [[ -n $DEB ]] || {
    cat "$log" >&2
    printf 'error: cpack made no federation_*.deb\n' >&2
    exit 1
  }
  printf 'built %s (%s KiB) in %d s\n' "${DEB##*/}" "$(($(stat -c %s "$DEB") / 1024))" \
    "$((SECONDS - start))"
}

# "mode path" of every file in the package, paths without the leading ".".
list_files() {
  dpkg-deb -c "$DEB" | awk '{ path = $6; sub(/^\./, "", path); print $1, path }'
}

expect_file() {
  local path=$1 mode=${2:-}
  check
  local line
  line=$(grep -E " ${path//./\\.}\$" "$SCRATCH/files" || true)
  if [[ -z $line ]]; then
    fail "the package has no $path"
  elif [[ -n $mode && ${line%% *} != "$mode" ]]; then
    fail "$path is ${line%% *}, expected $mode"
  fi
}

check_files() {
  list_files >"$SCRATCH/files"
  local name
  for name in $(services); do
    expect_file "/usr/bin/${name}_server" -rwxr-xr-x
    expect_file "/usr/lib/systemd/system/federation-$name.service" -rw-r--r--
    expect_file "/etc/federation/$name.env" -rw-r-----
  done
  expect_file /usr/bin/fedctl -rwxr-xr-x
  expect_file /usr/bin/fed-demo -rwxr-xr-x
  expect_file /usr/lib/systemd/system/federation.target
  expect_file /usr/share/federation/web/index.html
  expect_file /usr/share/federation/provision.sh -rwxr-xr-x
  expect_file /usr/share/federation/provision.sql
  expect_file /usr/share/federation/topology.txt
  expect_file /usr/share/federation/demo/provinces.csv
  expect_file /usr/share/doc/federation/README.md
  # The build tree's absolute paths must not leak into the package.
  check
  if grep -E ' /(usr/local|work|root|home|tmp)/' "$SCRATCH/files" >&2; then
    fail "files outside the layout (above)"
  fi
}

# Field $1 of the control file.
field() { dpkg-deb -f "$DEB" "$1"; }

check_control() {
  check
  [[ $(field Package) == federation ]] || fail "Package is '$(field Package)'"
  check
  [[ $(field Architecture) == "$(dpkg --print-architecture)" ]] ||
    fail "Architecture is '$(field Architecture)'"
  check
  [[ $(field Version) =~ ^[0-9]+\.[0-9]+\.[0-9]+-[0-9]+$ ]] || fail "Version is '$(field Version)'"
  check
  [[ $(field Maintainer) =~ ^.+\<.+@.+\>$ ]] || fail "Maintainer is '$(field Maintainer)'"
  check
  [[ -n $(field Description) ]] || fail "no Description"
  local depends dep
  depends=$(field Depends)
  # dpkg-shlibdeps found the libraries the servers link.
  for dep in adduser 'libgrpc\+\+' libprotobuf libpqxx libssl libc6; do
    check
    [[ $depends =~ (^|, )$dep ]] || fail "Depends lacks $dep: $depends"
  done

  dpkg-deb -e "$DEB" "$SCRATCH/control"
  local expected
  expected=$(for name in $(services); do printf '/etc/federation/%s.env\n' "$name"; done | sort)
  check
  [[ $(sort "$SCRATCH/control/conffiles") == "$expected" ]] ||
    fail "conffiles are: $(tr '\n' ' ' <"$SCRATCH/control/conffiles")"
  check
  grep -q 'adduser --system' "$SCRATCH/control/postinst" ||
    fail "postinst does not create the federation user"
  check
  if grep -E '^[[:space:]]*(systemctl|deb-systemd-invoke|deb-systemd-helper) .*(start|enable)' \
    "$SCRATCH/control/postinst"; then
    fail "postinst starts or enables a service"
  fi
}

# Every unit runs as federation with the hardening deploy/systemd promises,
# and `systemd-analyze verify` accepts it with the package's binaries.
check_units() {
  local unit option
  local -a hardening=(User=federation NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes
    PrivateTmp=yes PrivateDevices=yes ProtectKernelTunables=yes ProtectKernelModules=yes
    ProtectKernelLogs=yes ProtectControlGroups=yes
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' RestrictNamespaces=yes
    LockPersonality=yes MemoryDenyWriteExecute=yes SystemCallFilter=@system-service
    CapabilityBoundingSet= Restart=on-failure PartOf=federation.target
    WantedBy=federation.target)
  dpkg-deb -x "$DEB" "$SCRATCH/root"
  for unit in "$SCRATCH"/root/usr/lib/systemd/system/federation-*.service; do
    for option in "${hardening[@]}"; do
      check
      grep -qxF "$option" "$unit" || fail "${unit##*/} lacks $option"
    done
  done
  # The target wants every service (systemctl start federation.target).
  local name
  for name in $(services); do
    check
    grep -qE "^Wants=.*federation-$name\.service" "$SCRATCH/root/usr/lib/systemd/system/federation.target" ||
      fail "federation.target does not want federation-$name.service"
  done
  command -v systemd-analyze >/dev/null || {
    printf 'systemd-analyze missing: units not verified\n'
    return 0
  }
  # --root: ExecStart=/usr/bin/... resolves inside the unpacked package;
  # the units it depends on (sysinit.target, ...) are the host's.
  cp -rn /usr/lib/systemd/system/. "$SCRATCH/root/usr/lib/systemd/system/"
  check
  local out rc=0
  out=$(cd "$SCRATCH/root/usr/lib/systemd/system" &&
    systemd-analyze verify --man=no --root="$SCRATCH/root" ./federation.target \
      ./federation-*.service 2>&1) || rc=$?
  if ((rc != 0)) || [[ -n $out ]]; then
    fail "systemd-analyze verify (exit $rc): $out"
  fi
}

main() {
  [[ -r $BUILD_DIR/CPackConfig.cmake ]] || {
    printf 'error: no %s/CPackConfig.cmake (configure the build first)\n' "$BUILD_DIR" >&2
    exit 1
  }
  SCRATCH=$(mktemp -d)
  trap 'rm -rf "$SCRATCH"' EXIT
  build_package
  check_files
  check_control
  check_units
  printf '%d passed, %d failed\n' "$((checks - failures))" "$failures"
  ((failures == 0))
}

main "$@"
