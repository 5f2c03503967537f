"""SPSDK 3.12's view of dat-tool's output (run with the SPSDK venv's python).

    python dat_spsdk_check.py dc  FAMILY DC_FILE
    python dat_spsdk_check.py dar FAMILY DC_FILE DAC_FILE DAR_FILE [DCK_PEM]

dc:  SPSDK parses the credential, re-exports it byte for byte, its verify() has no errors
     (SOCC, key sizes, ranges), and SPSDK's crypto accepts the root key signature (which
     SPSDK's own `dc verify` never checks).
dar: SPSDK rebuilds the response body from the same DC, DAC and beacon; it must equal ours,
     SPSDK's crypto must accept our DCK signature over it and the challenge, and SPSDK's
     dar.verify() (the checks `dat auth` runs before sending) must pass. With DCK_PEM, SPSDK
     also signs: for RSA (deterministic) its DAR must equal ours byte for byte.
Protocol 2.2 (P-521): SPSDK 3.12 cannot compute the RoT hash (its bug), so verify() is
skipped there; parsing, body and signature are still checked.
"""

import struct
import sys

from spsdk.crypto.hash import EnumHashAlgorithm
from spsdk.crypto.signature_provider import PlainFileSP
from spsdk.dat.dac_packet import DebugAuthenticationChallenge
from spsdk.dat.dar_packet import DebugAuthenticateResponse
from spsdk.dat.debug_credential import DebugCredentialCertificate
from spsdk.utils.family import FamilyRevision


def hash_for(version):
    return {
        (1, 0): EnumHashAlgorithm.SHA256,
        (1, 1): EnumHashAlgorithm.SHA256,
        (2, 0): EnumHashAlgorithm.SHA256,
        (2, 1): EnumHashAlgorithm.SHA384,
        (2, 2): EnumHashAlgorithm.SHA512,
    }[(version.major, version.minor)]


def fail(msg):
    print("FAIL", msg)
    sys.exit(1)


def check_dc(family, data):
    dc = DebugCredentialCertificate.parse(data, family)
    if dc.export() != data:
        fail("SPSDK re-export differs")
    sig_len = len(dc.signature)
    ok = dc.rot_pub.verify_signature(dc.signature, data[:-sig_len], algorithm=hash_for(dc.version))
    if not ok:
        fail("SPSDK's crypto rejects the DC signature")
    if (dc.version.major, dc.version.minor) != (2, 2):
        ver = dc.verify()
        if ver.has_errors:
            fail("SPSDK dc.verify(): " + ver.draw())
    return dc


def main():
    mode, fam = sys.argv[1], FamilyRevision(sys.argv[2])
    dc_bytes = open(sys.argv[3], "rb").read()
    dc = check_dc(fam, dc_bytes)
    if mode == "dc":
        print("OK dc", dc.version)
        return
    dac = DebugAuthenticationChallenge.parse(open(sys.argv[4], "rb").read(), fam)
    ours = open(sys.argv[5], "rb").read()
    beacon = struct.unpack_from("<L", ours, len(dc_bytes))[0]
    sp = PlainFileSP(sys.argv[6]) if len(sys.argv) > 6 else None
    cls = DebugAuthenticateResponse._get_class(fam, dc.version)
    dar = cls(family=fam, debug_credential=dc, auth_beacon=beacon, dac=dac, sign_provider=sp)
    tbs = dar._get_data_for_signature()
    sig_len = len(dc.signature)
    if ours[:-sig_len] + dac.challenge != tbs:
        fail("DAR body differs from SPSDK's")
    if not dc.dck_pub.verify_signature(ours[-sig_len:], tbs, algorithm=hash_for(dc.version)):
        fail("SPSDK's crypto rejects the DAR signature")
    if (dc.version.major, dc.version.minor) != (2, 2):
        ver = dar.verify()
        if ver.has_errors:
            fail("SPSDK dar.verify(): " + ver.draw())
    if sp is not None and dc.version.major == 1 and dar.export() != ours:
        fail("SPSDK's RSA DAR differs from ours")
    print("OK dar", dc.version)


if __name__ == "__main__":
    main()
