#!/usr/bin/env bash
# System tools the tests use when present: Tesseract with its Vietnamese model (OCR of scanned PDFs).
# Installed with apt-get when running as root on Debian/Ubuntu and missing; otherwise (or when the
# install fails) says what to install and returns 0, so the test run goes on and the OCR tests skip.
set -uo pipefail

PACKAGES=(tesseract-ocr tesseract-ocr-vie)

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
