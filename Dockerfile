# Sankofa node image. Build: docker build -t sankofa:latest .
# Stage 1 compiles with the official Swift toolchain on Debian 12 (the system libraries' -dev packages are the
# ones the README lists); the Swift runtime is linked statically, so stage 2 needs only the C libraries.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends pkgconf libsecp256k1-dev librocksdb-dev libsnappy-dev libssl-dev libgmp-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so editing a source file does not refetch them.
COPY Package.swift Package.resolved ./
RUN swift package resolve
COPY Sources Sources
COPY Benchmarks Benchmarks
COPY Tests Tests
COPY Genesis Genesis
COPY Contracts Contracts
RUN swift build -c release --product sankofa --static-swift-stdlib \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/sankofa" /out/sankofa

# Stage 2: Debian 12 with the runtime C libraries only (libsecp256k1, RocksDB and its compression libraries,
# Snappy, OpenSSL's libcrypto), running as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsecp256k1-1 librocksdb7.8 libsnappy1v5 libssl3 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 sankofa \
    && useradd --system --uid 10001 --gid sankofa --home-dir /data --shell /usr/sbin/nologin sankofa \
    && install -d -o sankofa -g sankofa -m 0750 /data
COPY --from=build /out/sankofa /usr/local/bin/sankofa
USER sankofa
WORKDIR /data
# P2P (RLPx), JSON-RPC over HTTP and WebSocket, Prometheus metrics.
EXPOSE 30303/tcp 8545/tcp 8546/tcp 9545/tcp
VOLUME ["/data"]
ENTRYPOINT ["sankofa"]
CMD ["--help"]
