#!/usr/bin/env bash
# Debian/Ubuntu packages Qt needs to run offscreen (and fonts so text renders), plus optional
# LibreOffice/poppler for PDF copies of the documents. Installs only what is missing; needs root
# (or sudo). On other systems it prints what to install and carries on.
set -euo pipefail
pkgs=(libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfreetype6 libfontconfig1 libdbus-1-3 fonts-dejavu-core fontconfig-config)
if [[ "${WITH_PDF:-0}" == "1" ]]; then pkgs+=(libreoffice-writer-nogui fonts-liberation2 poppler-utils); fi
if ! command -v dpkg >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; make sure Qt's runtime libraries are installed: ${pkgs[*]}" >&2
  exit 0
fi
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[[ ${#missing[@]} -eq 0 ]] && exit 0
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "system-deps: please install: ${missing[*]}" >&2; exit 0; fi
fi
echo "system-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
