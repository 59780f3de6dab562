# syntax=docker/dockerfile:1

# Redress in a container: the static binary on distroless, running as a
# non-root user, with the database and its audit key on the /data volume.
#
#   docker build -t redress .
#   docker run --rm -p 8080:8080 redress serve --demo
#
# cmd/redress/container_test.go reads this file: it builds the binary
# with the flags of the go build line below, and runs it with the ENV,
# USER, VOLUME, ENTRYPOINT and HEALTHCHECK of the final stage, as a
# non-root user with only the volume writable. Keep each of them one
# plain instruction (no shell quoting beyond double quotes, one command
# per RUN) so that the test can read it.

# The Go version of go.mod; the official image of that exact version.
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so that a change to the code does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Redress's SQLite (modernc.org/sqlite) is pure Go, so the binary needs no
# C library and runs on an image with none.
ENV CGO_ENABLED=0
RUN go build -trimpath -ldflags="-s -w" -o /out/redress ./cmd/redress
# The volume's mount point, owned by the user Redress runs as: a named
# volume starts with the ownership of the directory in the image, so the
# database can be created in it without running anything as root.
RUN mkdir -p /out/data

# distroless/static has what the static binary needs beyond itself (CA
# certificates for SMTP, IMAP and single sign-on over TLS, a passwd entry
# for the non-root user, /tmp for large uploads) and nothing else: no
# shell, no package manager. Europe/London's rules are linked into the
# binary (time/tzdata), so the image's own zoneinfo is not relied on.
FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="Redress" \
      org.opencontainers.image.description="Complaints handling for social housing landlords" \
      org.opencontainers.image.source="https://github.com/redresshq/redress" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /out/redress /usr/local/bin/redress
# A distributed binary carries its licence and its third-party notices.
COPY LICENSE NOTICE /usr/share/doc/redress/
COPY --from=build --chown=65532:65532 /out/data /data
# distroless's nonroot user, by number, so that an orchestrator can check
# it is not root (Kubernetes' runAsNonRoot) without reading /etc/passwd.
USER 65532:65532
WORKDIR /data
VOLUME /data
# The database and, beside it, the audit key (redress.audit.key) live on
# the volume; Redress listens on every interface of the container.
ENV REDRESS_DB=/data/redress.db \
    REDRESS_ADDR=0.0.0.0:8080
EXPOSE 8080
# There is no curl in the image: redress healthcheck asks /readyz at
# REDRESS_ADDR's port and exits 1 with the failing check named.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["/usr/local/bin/redress", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/redress"]
CMD ["serve"]
