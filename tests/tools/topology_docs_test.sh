#!/usr/bin/env bash
# The README's service table gives every service of deploy/topology.txt with
# its default port, and no other: the file is the source, the table its copy
# for readers.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
status=0

# "name port" for each row of the table under "## Services".
readme_rows=$(awk '
  /^## Services/ { in_section = 1; next }
  in_section && /^#/ { exit }
  in_section && /^\| `/ {
    split($0, cells, "|")
    name = cells[2]; sub(/^ *`/, "", name); sub(/`.*/, "", name)
    port = cells[3]; gsub(/ /, "", port)
    print name, port
  }' "$root/README.md")

topology_rows=$(sed -e 's/#.*//' "$root/deploy/topology.txt" | awk 'NF { print $1, $2 }')

if [[ -z $topology_rows ]]; then
  echo "FAIL: no services read from deploy/topology.txt"
  exit 1
fi
while read -r name port; do
  grep -qx "$name $port" <<<"$readme_rows" ||
    { echo "FAIL: README's service table lacks '$name' on port $port (deploy/topology.txt)"; status=1; }
done <<<"$topology_rows"
while read -r name port; do
  grep -qx "$name $port" <<<"$topology_rows" ||
    { echo "FAIL: README's service table has '$name' on port $port, deploy/topology.txt does not"; status=1; }
done <<<"$readme_rows"

((status == 0)) && echo "ok"
exit "$status"
