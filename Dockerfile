# syntax=docker/dockerfile:1

# Build: a static binary (pure-Go SQLite, no cgo) with pb_public embedded.
# The build command is the one .ci/run runs, so CI exercises it.
FROM golang:1.27-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The version the start line and --version report: docker build --build-arg VERSION=1.4.0
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X conflicto/commands.Version=${VERSION}" -o /out/conflicto .
# The data dir must exist, owned by the runtime user, before the volume is
# mounted on it: a fresh named volume copies its owner from the image.
RUN mkdir -p /out/pb_data

# Run: no shell, no package manager, non-root (uid 65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/conflicto /conflicto
COPY --from=build --chown=65532:65532 /out/pb_data /pb_data
USER 65532:65532
# Production by default: the server then refuses to start, naming each
# missing setting (CONFLICTO_CORS_ORIGINS, CONFLICTO_PUBLIC_URL,
# CONFLICTO_ENCRYPTION_KEY), rather than run with CORS * and no encryption
# key, and it never prints PocketBase's superuser-installer link to the
# logs. Set CONFLICTO_ENV=development to try the image on a laptop.
ENV CONFLICTO_ENV=production \
    CONFLICTO_HTTP=0.0.0.0:8090 \
    CONFLICTO_DATA_DIR=/pb_data \
    CONFLICTO_LOG_FORMAT=json
VOLUME ["/pb_data"]
EXPOSE 8090
# No curl in the image: the binary probes GET /api/ready itself and exits
# 0 or 1 within 5 s.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["/conflicto", "healthcheck"]
ENTRYPOINT ["/conflicto"]
CMD ["serve"]
