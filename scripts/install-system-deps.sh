#!/usr/bin/env bash
# Install the system packages Masthead needs, when they are missing:
#   chromium       headless browser that prints the PDF (or name one with MASTHEAD_CHROMIUM)
#   poppler-utils  pdfinfo/pdffonts/pdftotext, which the tests read the PDFs back with, and
#                  pdftoppm, which draws the web edition's cover.jpg from the PDF's first page
#   fonts-dejavu-core  the only fonts the tests' Chromium sees (scripts/vitest-shared.mjs
#                  gives it a fontconfig of its own), so tests do not depend on the machine's fonts
#   ghostscript    converts the print PDF to PDF/X for `masthead build --press-ready`
#   qpdf           reads the press and archival files' structure back in the tests
# Debian/Ubuntu only; elsewhere it says what to install.
set -euo pipefail

need=()
if [ -z "${MASTHEAD_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
  && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  need+=(chromium)
fi
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
dejavu_found=false
for dejavu in /usr/share/fonts/truetype/dejavu /usr/share/fonts/dejavu-sans-fonts /usr/share/fonts/TTF; do
  [ -f "$dejavu/DejaVuSans.ttf" ] && dejavu_found=true
done
$dejavu_found || need+=(fonts-dejavu-core)
[ -n "${MASTHEAD_GHOSTSCRIPT:-}" ] || command -v gs >/dev/null 2>&1 || need+=(ghostscript)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "masthead: please install: ${need[*]} (a Chromium or Chrome browser, poppler's pdfinfo/pdftotext, the DejaVu fonts, Ghostscript's gs and qpdf)." >&2
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
