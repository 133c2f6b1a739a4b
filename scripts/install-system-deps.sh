#!/usr/bin/env bash
# Install the system packages Masthead needs, when they are missing:
#   chromium       headless browser that prints the PDF (or name one with MASTHEAD_CHROMIUM)
#   poppler-utils  pdfinfo/pdffonts/pdftotext, which the tests read the PDFs back with, and
#                  pdftoppm, which draws the web edition's cover.jpg from the PDF's first page
# Debian/Ubuntu only; elsewhere it says what to install.
set -euo pipefail

need=()
if [ -z "${MASTHEAD_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
  && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  need+=(chromium)
fi
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "masthead: please install: ${need[*]} (a Chromium or Chrome browser, and poppler's pdfinfo/pdftotext)." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "masthead: run as root, or install first: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi
echo "masthead: installing ${need[*]} with apt-get" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
