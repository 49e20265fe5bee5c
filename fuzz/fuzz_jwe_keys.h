// The private halves of tests/data/keys/rsa2048.pem and ec256.pem (test
// keys, committed with the repository) for the JWE fuzz targets, embedded
// because a fuzzer binary runs from $OUT without the source tree; and the
// fixed secrets the seed tokens were encrypted with.
#pragma once

#include <cstdint>

namespace jwtgate_fuzz {

inline constexpr char kRsa2048PrivatePem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDPZ/0RTlUln13J\n"
    "9izJWVepgckPzOGAK/aT2u9XkZ/au4moYwD/OZj1oD/gaIAqAurANaEyXHUhfHjL\n"
    "BMlKNHabzyBXGyqsFYxTS3yYVsfqZxEZVI1t8jR0AEbPYjmkvShB9A5f3JKZ/3JU\n"
    "geLaNqd8dy9L4De/9SgFcY/SRjtmhwDv9CV9O57JQH9HSY8+Tgq+F3QHd8xTrVAN\n"
    "F0yCOK2eh/Khv6zBcSdSGlumCKW7FsjAgFTKrIjHnChBzvImUaqGsFfjH1fbis29\n"
    "cvPAFcZTbIx+G2NYFsYr3gSpUpiBDnGO+ih6TL9cyLr4/ErJu/KX55VP+/gIvdnw\n"
    "liMqxv7PAgMBAAECggEAA0wD4PDE8Ne3sJ4ugr3BuMHa8+jmuvu/CJOLQY5vDdzX\n"
    "+nVDGXYw7ZowTU8jD8DKVvWfultvq+ND+hKkEkZYjhpj5ak+Ob4PuW3n+1lJW17A\n"
    "8X8GldjVkfREgTk1nAjJSUMbd2OGqfMiBTz9Gp51kjpEkN5ty42WipwOMMX0JKmA\n"
    "e7/KRY9s1Bq9EmH6Si4qgzn17qOaKLOQR3ut0y4h2tAfDMIKdllSF7oTZjN+av4e\n"
    "R03mQDPkN1lwbRH+kYFa1udc+c2GSKVkWvI89qJL1/9egfsX7ma8L8GepROezXTn\n"
    "48064qdnx/cFp+AachvF94UJstxUpXyoCKkily+eAQKBgQD8H5DSZJM6twhQhKnW\n"
    "X5S6KkqR+O1IWmlKm/KaEME9W/XD/I5v+ynZTUC3hg69ZcDUMWM/pKWLCV3wguFN\n"
    "w2ALDqcPSxPfjCx9QkDy6LU7ZLZWZLlVhQML9mRU2mRiPTG51lBKji0DpCBSuMDj\n"
    "uErhpLZGHDLIVLBlKkRw/4OsiQKBgQDSmGcWXltad3V9qmSwo9qsaaLg0TjYUoII\n"
    "aBa5RsYliwqEKbrSTaY2m6J73aCG2T61MUERruS0NaUnSwCgCBiHKNw1FebAn4Cw\n"
    "geAdPcjHv2WKhKzxR5wMDdLDIdBtC3g8kkW2MlUWTluq7K/pJVHP7B6pcFahtspa\n"
    "IVXrwW/qlwKBgQC2kKTttKZn/eGnbGkPMmcf5z/YM8iee9mCjSo/JaLIK67rHBaI\n"
    "P/ctwyL5wbkqrGPVQ236x96Xr1C2uA8toCwL1bBjApqBZZ9RlIgzXQ7e0y61oHoT\n"
    "0x1BrEk6qGnIOUeoqee6FPnDiTVesSn7u5d9jSfv3LtpFOomV1T3/g37AQKBgAQK\n"
    "CkgijSwCCI3de8rriaEu8YHQYX+8rWPN40mwctJ7hTsdtcic1qhLeeVYTeDoP8yn\n"
    "4jCdoyNVuBI13RA0t4u4G+kkv2VIaeZ4xzyoV7aFFESA4PRLxFFy3m0BtAazZp36\n"
    "zD1/X6Rq4lU37vPQ1G3hgIENd4vofp8V7pjz/9qHAoGAL1wTACTzIjhvUFk5gPLK\n"
    "Ob+vBQQDiWdevUCqJq9dIDs/4dG/hPZFSEaw4EoUBfL6LszQHj64t5I+GEt9EKaH\n"
    "ZbQQHiLhCzUgXBB7LS/w5uKz4sUrNDagMTiiXOdoqBjJsZHiyVboHcmOq02D5fbs\n"
    "5nqTlc/xVYeZBB+Y7/YlCks=\n"
    "-----END PRIVATE KEY-----\n";
inline constexpr char kEc256PrivatePem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgGP7jL6aQJd2muXS8\n"
    "G80kKjktQgvYbE8aINvCbeUtzIKhRANCAAQnI4crmky6D9ED8m9AvZ9KuptIc1KC\n"
    "YvvP0AAA/URzf3poHo07WL3fD5f26XMCWMW6ql9yy8wLkjq61XmyEVvY\n"
    "-----END PRIVATE KEY-----\n";

// X25519 private key: 32 bytes 0x01..0x20. Secrets: bytes 0, 1, 2, ... of
// each length (16, 24, 32, 48, 64).
inline constexpr uint8_t kX25519Private[32] = {
    1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

}  // namespace jwtgate_fuzz
