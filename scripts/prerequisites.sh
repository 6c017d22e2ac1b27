# Sourced by run.sh and test.sh: installs the real servers the platform runs against when they are missing.
# Debian packages for PostgreSQL, Redis and RabbitMQ (and Chromium for the portal's browser tests); MailDev (the SMTP sink with a web UI) from npm.

install_prerequisites() {
  local missing=()
  [ -x /usr/bin/redis-server ] || missing+=(redis-server)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
  command -v node >/dev/null || missing+=(nodejs npm)
  command -v setpriv >/dev/null || missing+=(util-linux)
  command -v zbarimg >/dev/null || missing+=(zbar-tools) # a desktop QR decoder: the tests scan the enrolment QR code
  [ -x /usr/bin/chromium ] || missing+=(chromium) # headless Chromium for the browser tests (portal, dashboard); no browser download
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "Missing: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
      return 1
    fi
    echo "Installing ${missing[*]} (apt-get)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [ ! -x tools/smtp-sink/node_modules/.bin/maildev ]; then
    echo "Installing MailDev (npm ci)…"
    npm ci --prefix tools/smtp-sink --no-audit --no-fund --loglevel=error >/dev/null
  fi
}
