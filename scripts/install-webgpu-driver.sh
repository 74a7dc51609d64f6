#!/usr/bin/env bash
# Installs a Vulkan driver that Dawn (the `webgpu` npm package) accepts, so the webgpu backend's tests
# can run on a machine without a GPU: Mesa's lavapipe (a CPU Vulkan implementation) from Debian
# bookworm-backports. Stock bookworm Mesa (22.3) is too old for Dawn; the backports one (25.x) works.
#
# Idempotent. Installs the loader and the stock driver's dependencies with apt (root only), then
# extracts the backports lavapipe into .cache/webgpu-driver/ inside the repository (nothing else on
# the system changes) and writes an ICD file that points at it. Prints the variable to set:
#   VK_DRIVER_FILES=<repo>/.cache/webgpu-driver/lvp_icd.json
# The webgpu tests set it themselves when that file exists. Exits 0 without installing anything
# (with a message) where apt or root is missing: the webgpu tests then skip and say why.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
DEST="$PWD/.cache/webgpu-driver"
ICD="$DEST/lvp_icd.json"
LIB="$DEST/root/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so"

# Done already, here (the ICD file names the library by absolute path: a moved checkout reinstalls).
if [ -f "$LIB" ] && grep -qF "\"$LIB\"" "$ICD" 2>/dev/null; then
  echo "VK_DRIVER_FILES=$ICD"
  exit 0
fi

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ] || ! command -v apt-get >/dev/null 2>&1 \
  || ! command -v dpkg-deb >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
  echo "install-webgpu-driver: needs root on x86_64 Debian (apt-get, dpkg-deb); not installing the lavapipe driver." >&2
  echo "install-webgpu-driver: the webgpu tests will skip on this machine." >&2
  exit 0
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
run() {
  if ! "$@" </dev/null >>"$log" 2>&1; then
    echo "install-webgpu-driver: '$*' failed:" >&2
    cat "$log" >&2
    exit 1
  fi
}

# The Vulkan loader, and the stock Mesa driver for its shared-library dependencies (LLVM, libdrm, xcb…).
if ! dpkg -s libvulkan1 mesa-vulkan-drivers >/dev/null 2>&1; then
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libvulkan1 mesa-vulkan-drivers
fi

# The newer lavapipe, downloaded (not installed) from bookworm-backports with a private apt state.
apt_dir="$DEST/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives"
echo 'deb http://deb.debian.org/debian bookworm-backports main' >"$apt_dir/backports.list"
apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/backports.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::Lists=$apt_dir/lists")
run apt-get "${apt_opts[@]}" update
(cd "$apt_dir/archives" && run apt-get "${apt_opts[@]}" download mesa-vulkan-drivers/bookworm-backports)
deb="$(ls "$apt_dir"/archives/mesa-vulkan-drivers_*.deb | head -n 1)"
rm -rf "$DEST/root"
run dpkg-deb -x "$deb" "$DEST/root"
[ -f "$LIB" ] || { echo "install-webgpu-driver: $deb has no libvulkan_lvp.so" >&2; exit 1; }

cat >"$ICD" <<JSON
{
  "file_format_version": "1.0.0",
  "ICD": { "library_path": "$LIB", "api_version": "1.3.0" }
}
JSON
echo "VK_DRIVER_FILES=$ICD"
