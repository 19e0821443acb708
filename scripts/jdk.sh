# Sourced by the project's scripts: points JAVA_HOME at a JDK 25, whatever the machine's default java is.
# Order: $FLEXOS_JAVA_HOME, $JAVA_HOME, Temurin 25's Debian path, then any JDK 25 under /usr/lib/jvm.
flexos_is_jdk25() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && "$1/bin/java" -version 2>&1 | head -n 1 | grep -q 'version "25'
}
flexos_find_jdk() {
  local candidate
  for candidate in "${FLEXOS_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -n "$candidate" ] && flexos_is_jdk25 "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  echo "flexos: no JDK 25 found (looked at \$FLEXOS_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm/*25*)." >&2
  echo "flexos: install one (Debian: the temurin-25-jdk package) or set FLEXOS_JAVA_HOME to it." >&2
  return 1
}
JAVA_HOME="$(flexos_find_jdk)" || exit 2
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
