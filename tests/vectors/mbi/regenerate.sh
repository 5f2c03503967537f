#!/usr/bin/env bash
# Re-creates every SPSDK output in this folder from the (fixed) keys/certs/app inputs.
# Run from anywhere; requires SPSDK 3.12.0 at $SPSDK3.
# RSA outputs (LPC55S69/RT595S MBI + SB2.1) are deterministic and will be bit-identical;
# ECDSA outputs (LPC55S36 / MCXN947 signed MBI) get new random signatures on every run.
set -euo pipefail
cd "$(dirname "$0")"
B=$SPSDK3/bin; P=$B/python

# --- templates (documentation only)
( cd templates
  $B/nxpimage sb21 get-template -f lpc55s69 -o sb21_lpc55s69_template.yaml --force
  for f in lpc55s69 lpc55s36 mcxn947 mimxrt595s; do $B/nxpimage mbi get-templates -f $f -o mbi_${f/mimxrt595s/rt595s} --force; done
  $B/nxpimage cert-block get-template -f lpc55s69 -o cert_block_v1_lpc55s69.yaml --force
  $B/nxpimage cert-block get-template -f lpc55s36 -o cert_block_v21_lpc55s36.yaml --force ) >/dev/null

# --- app
( cd app && $P make_app.py )

# --- MBI LPC55S69 (cert block v1, RSA-2048)
( cd mbi_lpc55s69
  for c in mbi_xip_plain mbi_xip_crc mbi_xip_signed mbi_xip_signed_chain_tz mbi_ram_signed mbi_xip_signed_tzcustom; do
    $B/nxpimage mbi export -c $c.yaml; done
  $B/nxpimage tz export -c tz_custom.yaml
  for f in mbi_xip_signed mbi_xip_signed_chain_tz mbi_xip_crc mbi_ram_signed; do
    $B/nxpimage mbi parse -f lpc55s69 -b out/$f.bin -o out/parsed_$f; done
  $B/nxpimage mbi verify -f lpc55s69 -b out/mbi_xip_signed.bin > out/verify_mbi_xip_signed.txt 2>&1 || true
  $B/nxpimage cert-block export -c cert_block_chain.yaml -oc containerOutputFile=out/cert_block_chain_standalone.bin )

# --- MBI LPC55S36 (cert block v2.1, ECC P-256)
( cd mbi_lpc55s36
  $B/nxpimage tz export -c tz_custom.yaml
  for c in mbi_xip_plain mbi_xip_crc mbi_xip_signed_noisk mbi_xip_signed_isk mbi_xip_signed_noisk_tzcustom; do
    $B/nxpimage mbi export -c $c.yaml; done
  for f in mbi_xip_signed_noisk mbi_xip_signed_isk mbi_xip_crc; do
    $B/nxpimage mbi parse -f lpc55s36 -b out/$f.bin -o out/parsed_$f; done )

# --- MBI MCXN947 (cert block v2.1 + CRC manifest)
( cd mbi_mcxn947
  $B/nxpimage mbi export -c mbi_xip_signed_isk.yaml
  $B/nxpimage mbi parse -f mcxn947 -b out/mbi_xip_signed_isk.bin -o out/parsed_mbi_xip_signed_isk )

# --- SB2.1 LPC55S69 (YAML, pinned) + SHA-flag variant + BD two-section variant
( cd sb21_lpc55s69
  $B/nxpimage sb21 export -c sb21_pinned.yaml
  $B/nxpimage sb21 export -c sb21_pinned_sha.yaml
  $B/nxpimage sb21 export -c sb21_two_sections.bd -o out/sb21_two_sections.sb -k sbkek.txt \
      -s ../keys/rotk0_rsa2048.pem -S ../certs/root0_rsa_cert.der \
      -R ../certs/root0_rsa_cert.der -R ../certs/root1_rsa_cert.der -R ../certs/root2_rsa_cert.der -R ../certs/root3_rsa_cert.der \
      -h out/rkth_bd.bin
  $B/nxpimage sb21 convert -f lpc55s69 -c sb21_two_sections.bd -o out/sb21_two_sections_converted.yaml -k sbkek.txt \
      -s ../keys/rotk0_rsa2048.pem -S ../certs/root0_rsa_cert.der \
      -R ../certs/root0_rsa_cert.der -R ../certs/root1_rsa_cert.der -R ../certs/root2_rsa_cert.der -R ../certs/root3_rsa_cert.der \
      -h out/rkth_convert.bin
  $B/nxpimage sb21 parse -b out/sb21_pinned.sb -k sbkek.txt -o out/parsed > out/parse_stdout.txt
  $B/nxpimage sb21 parse -b out/sb21_pinned_sha.sb -k sbkek.txt -o out/parsed_sha
  $B/nxpimage sb21 parse -b out/sb21_two_sections.sb -k sbkek.txt -o out/parsed_two )

# --- SB2.1 RT595S (RT-only commands)
( cd sb21_rt595s
  $B/nxpimage sb21 export -c sb21_rt595s_pinned.yaml
  $B/nxpimage sb21 parse -b out/sb21_rt595s_pinned.sb -k sbkek.txt -o out/parsed )

# --- RKTH / CMPA
( cd rkth
  $B/nxpcrypto rot calculate-hash -f lpc55s69 -k ../keys/rotk0_rsa2048.pub -k ../keys/rotk1_rsa2048.pub -k ../keys/rotk2_rsa2048.pub -k ../keys/rotk3_rsa2048.pub -o rkth_lpc55s69.bin
  $B/nxpcrypto rot calculate-hash -f lpc55s69 -k ../keys/rotk0_rsa2048.pub -o rkth_lpc55s69_single.bin
  $B/nxpcrypto rot calculate-hash -f lpc55s36 -k ../keys/rotk0_p256.pub -k ../keys/rotk1_p256.pub -k ../keys/rotk2_p256.pub -k ../keys/rotk3_p256.pub -o rkth_lpc55s36.bin
  $B/nxpcrypto rot calculate-hash -f lpc55s36 -k ../keys/rotk0_p256.pub -o rkth_lpc55s36_single.bin
  $B/nxpcrypto rot calculate-hash -f lpc55s36 -k ../keys/rotk0_p256.pub -k ../keys/rotk1_p256.pub -o rkth_lpc55s36_two.bin
  $B/pfr export -c cmpa_lpc55s69_rotkh.yaml -o cmpa_lpc55s69_rotkh.bin
  $B/pfr export -c cmpa_lpc55s69_rotkh.yaml -e ../mbi_lpc55s69/mbi_xip_signed.yaml -o cmpa_lpc55s69_rot_from_mbi.bin
  $B/pfr export -c cmpa_lpc55s69_rotkh.yaml -sf ../keys/rotk0_rsa2048.pub -sf ../keys/rotk1_rsa2048.pub -sf ../keys/rotk2_rsa2048.pub -sf ../keys/rotk3_rsa2048.pub -o cmpa_lpc55s69_rot_from_keys.bin
  $B/pfr export -c cmpa_lpc55s36_rotkh.yaml -o cmpa_lpc55s36_rotkh.bin
  $B/pfr export -c cmpa_lpc55s36_rotkh.yaml -e ../mbi_lpc55s36/mbi_xip_signed_isk.yaml -o cmpa_lpc55s36_rot_from_mbi.bin
  true )

