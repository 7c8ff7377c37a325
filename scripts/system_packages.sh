#!/usr/bin/env bash
# System tools the tests use when present: Tesseract with its Vietnamese model (OCR of scanned PDFs) and
# PostgreSQL (the shared-state tests start a throw-away server with its initdb / pg_ctl).
# Installed with apt-get when running as root on Debian/Ubuntu and missing; otherwise (or when the
# install fails) says what to install and returns 0, so the test run goes on and the OCR tests skip.
set -uo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(tesseract-ocr tesseract-ocr-vie)
PG_PACKAGES=(postgresql)

has_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

install_postgres() {
  has_postgres && return 0
  local hint="PostgreSQL tests will be skipped: install postgresql (Debian: apt-get install postgresql)"
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "$hint" >&2
    return 0
  fi
  echo "installing ${PG_PACKAGES[*]} (shared-state tests) with apt-get" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends \
      "${PG_PACKAGES[@]}" >/dev/null || ! has_postgres; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends \
      "${PG_PACKAGES[@]}" >/dev/null || echo "apt-get could not install ${PG_PACKAGES[*]}; $hint" >&2
  fi
  return 0
}

install_postgres

# The browser tests (tests/web): Debian's Chromium, driven by Playwright, and axe-core from npm for the
# accessibility check (into build/node, ignored by git). Missing either, those tests skip and say so.
install_browser() {
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing chromium (browser tests) with apt-get" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends \
          chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive \
          apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends chromium >/dev/null; } \
        || echo "apt-get could not install chromium; browser tests will be skipped" >&2
    else
      echo "browser tests will be skipped: install chromium (Debian: apt-get install chromium)" >&2
    fi
  fi
  if [ ! -f build/node/node_modules/axe-core/axe.min.js ]; then
    if command -v npm >/dev/null 2>&1; then
      npm install --silent --no-audit --no-fund --prefix build/node axe-core@4.14.1 >/dev/null 2>&1 \
        || echo "npm could not install axe-core; the accessibility checks will be skipped" >&2
    else
      echo "accessibility checks will be skipped: install npm (then: npm install --prefix build/node axe-core)" >&2
    fi
  fi
  return 0
}

install_browser

has_vietnamese_ocr() {
  local languages
  command -v tesseract >/dev/null 2>&1 || return 1
  languages=$(tesseract --list-langs 2>&1) || return 1
  grep -qx vie <<<"$languages"
}

if has_vietnamese_ocr; then
  exit 0
fi
hint="OCR tests will be skipped: install ${PACKAGES[*]} (Debian/Ubuntu: apt-get install ${PACKAGES[*]})"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "$hint" >&2
  exit 0
fi
echo "installing ${PACKAGES[*]} (OCR of scanned PDFs) with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null && apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends "${PACKAGES[@]}" >/dev/null \
  && has_vietnamese_ocr; then
  exit 0
fi
echo "apt-get could not install ${PACKAGES[*]}; $hint" >&2
exit 0
