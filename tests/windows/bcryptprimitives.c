/*
 * TEST-ONLY shim, never shipped (not in the zip, not in the installer).
 *
 * Rust's standard library draws random bytes through ProcessPrng in bcryptprimitives.dll
 * (Windows 10 and later). Wine 8 (Debian 12) has no such DLL, so ntm-dossier.exe would not
 * start under Wine. scripts/windows-smoke.sh compiles this file with mingw and puts the DLL
 * into the test Wine prefix only: ProcessPrng over RtlGenRandom (advapi32 SystemFunction036).
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
