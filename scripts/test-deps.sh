# Sourced by run-tests, explore-redis and .ci/run: installs the Debian packages that the project's commands drive
# when they are missing. Installing needs root; otherwise it says what to install and stops.
#   flexos_install_run_deps:  what ./explore-redis needs: the real Redis clients (redis-benchmark drives the images).
#   flexos_install_test_deps: that, plus what only the tests need: redis-server (the real peer), chromium (the
#                             exploration report's screenshot test), and Slurm with munge (the Slurm executor's
#                             test starts a single-node cluster of its own).
flexos_install_packages() {
  local need=("$@")
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "flexos needs: ${need[*]}; install them (Debian: sudo apt-get install ${need[*]}) and run again" >&2
    return 2
  fi
  echo "installing ${need[*]}..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

flexos_run_deps_missing() {
  command -v redis-cli >/dev/null && command -v redis-benchmark >/dev/null || echo redis-tools
}

flexos_install_run_deps() {
  # shellcheck disable=SC2046 # one package name a line, none with spaces
  flexos_install_packages $(flexos_run_deps_missing)
}

flexos_install_test_deps() {
  local need=()
  mapfile -t need < <(flexos_run_deps_missing)
  command -v redis-server >/dev/null || need+=(redis-server)
  # The client integration tests drive the image with Debian's redis-py, run by Debian's own python3.
  /usr/bin/python3 -c 'import redis' 2>/dev/null || need+=(python3-redis)
  command -v chromium >/dev/null || need+=(chromium)
  { command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null; } \
    || need+=(slurm-wlm)
  command -v munged >/dev/null || need+=(munge)
  flexos_install_packages "${need[@]}"
}
