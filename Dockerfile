# The xdpchain node image: a builder stage compiles the AF_XDP addon against the distribution's libbpf and installs
# the production npm dependencies; the runtime stage holds Node.js, those dependencies, the TypeScript sources the
# node runs from (through tsx), libbpf/libelf, and nothing else. No keys, genesis or config are baked in.
# Build: docker build -t xdpchain .   (without a registry: --build-arg BASE=<local tag>, see docker/build-base-image.sh)
ARG BASE=node:20-bookworm-slim

FROM ${BASE} AS build
ENV DEBIAN_FRONTEND=noninteractive
# scripts/apt-packages.txt lists what the addon build needs; here only the compile-time part of it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential python3 clang libbpf-dev libelf-dev linux-libc-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/xdpchain
COPY package.json package-lock.json ./
COPY net-native/ net-native/
# `npm ci` runs the root install script, which builds the addon; required here, so a failed build fails the image.
RUN XDPCHAIN_NATIVE_REQUIRED=1 npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf net-native/build/Release/obj net-native/build/asan \
 && rm -f net-native/build/Release/native-tests net-native/build/Release/xsk-flood net-native/build/Release/xsk-rx-count

FROM ${BASE} AS runtime
ENV DEBIAN_FRONTEND=noninteractive
# The addon links libbpf (and through it libelf and zlib); nothing else beyond the base is needed at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libbpf1 libelf1 zlib1g \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && groupadd --system --gid 10001 xdpchain \
 && useradd --system --uid 10001 --gid xdpchain --home-dir /var/lib/xdpchain --shell /usr/sbin/nologin xdpchain \
 && mkdir -p /var/lib/xdpchain /devnet \
 && chown xdpchain:xdpchain /var/lib/xdpchain /devnet
WORKDIR /opt/xdpchain
COPY --from=build /opt/xdpchain/node_modules/ node_modules/
COPY --from=build /opt/xdpchain/net-native/build/ net-native/build/
COPY package.json tsconfig.json ./
COPY bin/ bin/
COPY consensus/ consensus/
COPY genesis/ genesis/
COPY node/ node/
COPY net-native/src/ net-native/src/
COPY docker/healthcheck.mjs docker/healthcheck.mjs
RUN ln -s /opt/xdpchain/bin/xdpchain.js /usr/local/bin/xdpchain

LABEL org.opencontainers.image.title="xdpchain" \
      org.opencontainers.image.description="Proof-of-stake validator node with a Simplex BFT core and an AF_XDP data plane" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="0.1.0" \
      io.xdpchain.capabilities="AF_XDP needs NET_ADMIN, NET_RAW, BPF and IPC_LOCK (or memlock); without them the node uses UDP"

# JSON-RPC 8545/tcp, data plane 9000/udp, control plane (libp2p) 26656/tcp, metrics 9615/tcp.
EXPOSE 8545/tcp 9000/udp 26656/tcp 9615/tcp
ENV XDPCHAIN_HOME=/var/lib/xdpchain NODE_ENV=production
VOLUME ["/var/lib/xdpchain"]
USER xdpchain:xdpchain
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/opt/xdpchain/docker/healthcheck.mjs"]
ENTRYPOINT ["xdpchain"]
CMD ["start", "--home", "/var/lib/xdpchain"]
