# Sourced by run-tests and .ci/run: installs the Debian packages the tests drive (the real Redis clients and
# server) when they are missing. Installing needs root; otherwise it says what to install and stops.
flexos_install_test_deps() {
  local need=()
  command -v redis-cli >/dev/null && command -v redis-benchmark >/dev/null || need+=(redis-tools)
  command -v redis-server >/dev/null || need+=(redis-server)
  # The exploration report's screenshot test renders the page in headless Chromium.
  command -v chromium >/dev/null || need+=(chromium)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "the tests need: ${need[*]}; install them (Debian: sudo apt-get install ${need[*]}) and run again" >&2
    return 2
  fi
  echo "installing ${need[*]} for the tests..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}
