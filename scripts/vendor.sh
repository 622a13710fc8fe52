#!/usr/bin/env bash
# vendor.sh refreshes pb_public/vendor/ — the third-party browser modules the
# pages import — from the npm registry, at the pinned versions below, and
# checks every file against its pinned SHA-256.
#
#   scripts/vendor.sh          fetch with `npm pack`, verify, install, write README
#   scripts/vendor.sh --check  verify the committed files only (no network)
#
# To upgrade a package: change its version, run the script, read the diff of
# pb_public/vendor/, and replace the hashes it reports as wrong with the new
# ones (after checking them against `npm view NAME@VERSION dist.integrity`).
# Nothing here names a registry: npm uses whatever registry it is configured
# for.
set -euo pipefail

cd "$(dirname "$0")/.."
dest=pb_public/vendor

# name version sha256-of-the-tarball
packages=(
	"pocketbase 0.28.1 adfee104149ca80a679fbe351ecf692d357a6b3e2ac885597a7e1a536de043cc"
	"preact 11.2.0 3c4456766bd32b6b534d52bf4e9c2a29b33e7eedf6e96ed479300ba1a7888ebf"
	"htm 3.1.1 2425b9bee11409177bcabc7f32e319926fc6690c1701c0b257c88bdff2d5ba90"
	"swagger-ui-dist 5.35.0 1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6"
)

# package path-in-tarball installed-as sha256
files=(
	"pocketbase package/dist/pocketbase.es.mjs pocketbase/pocketbase.es.mjs 73a94f485cdb408317dab6e3c2e6ada6325a1445b35256df4c347d369aa3404a"
	"pocketbase package/LICENSE.md pocketbase/LICENSE.md efa4c6c6d4e5989ce58a349f900be406368eddd7b1474757db9b6eb46afc1b43"
	"preact package/dist/preact.mjs preact/preact.mjs bdcbd9abdf2c77c5c45326eab42191e949222d479d0d5f69467387a77040cb55"
	"preact package/hooks/dist/hooks.mjs preact/hooks.mjs e862ab2973aa6455eaa0f77c5d832d2157d6be59a17c8ba546550a575b58c6b4"
	"preact package/LICENSE preact/LICENSE 1fe6958409c8c257a70c587a18b6f7f412b179b456630790d30b2ec9a8e4b7d4"
	"htm package/dist/htm.mjs htm/htm.mjs ab33dd3f38059b9be4d5f5350128eefb2356639c4e0bbe9d9e8b3ba75847e9e4"
	"htm package/LICENSE htm/LICENSE 740725f7252e750af735d0028cc534970772f513331e9f68150fede8fb3ce00f"
	"swagger-ui-dist package/swagger-ui-bundle.js swagger-ui/swagger-ui-bundle.js e6a898692f2d768e807c3ba4626068a69a2c5dd960dd6c76f3e4d3a3de180af2"
	"swagger-ui-dist package/swagger-ui.css swagger-ui/swagger-ui.css 5ed08757e53da3e026d6cbecc61fe5d43585c9560b302d534ad56692519a273d"
	"swagger-ui-dist package/LICENSE swagger-ui/LICENSE cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"
	"swagger-ui-dist package/NOTICE swagger-ui/NOTICE 0d20d1adef18aee3f40dd258172155521ce702ac445cb5f7b7d60ed32dad2fb2"
)

fail() { printf 'vendor: %s\n' "$*" >&2; exit 1; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

# verify ROOT: every installed file under ROOT has its pinned hash.
verify() {
	local bad=0 pkg src out want got
	for f in "${files[@]}"; do
		read -r pkg src out want <<<"$f"
		if [ ! -f "$1/$out" ]; then
			printf 'missing: %s\n' "$1/$out" >&2
			bad=1
			continue
		fi
		got="$(sha "$1/$out")"
		if [ "$got" != "$want" ]; then
			printf 'hash mismatch: %s\n  pinned %s\n  found  %s\n' "$1/$out" "$want" "$got" >&2
			bad=1
		fi
	done
	return $bad
}

if [ "${1:-}" = "--check" ]; then
	verify "$dest" || fail "the vendored files do not match their pins"
	echo "vendor: ${#files[@]} files match their pins"
	exit 0
fi

command -v npm >/dev/null || fail "npm is needed to fetch packages (apt-get install npm)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for p in "${packages[@]}"; do
	read -r name version want <<<"$p"
	tarball="$(cd "$work" && npm pack --silent "$name@$version")"
	got="$(sha "$work/$tarball")"
	[ "$got" = "$want" ] || fail "$name@$version: tarball hash $got, pinned $want"
	mkdir -p "$work/$name"
	tar -xzf "$work/$tarball" -C "$work/$name"
done

stage="$work/out"
for f in "${files[@]}"; do
	read -r pkg src out want <<<"$f"
	mkdir -p "$stage/$(dirname "$out")"
	cp "$work/$pkg/$src" "$stage/$out"
done
verify "$stage" || fail "a packed file does not match its pin"

{
	echo "# Vendored browser modules"
	echo
	echo "Written by \`scripts/vendor.sh\`; do not edit by hand. Each file is a copy"
	echo "of the npm package's own build, checked against the SHA-256 pinned in the"
	echo "script (\`scripts/vendor.sh --check\` verifies them offline)."
	echo
	echo "| package | version | licence | files |"
	echo "|---|---|---|---|"
	for p in "${packages[@]}"; do
		read -r name version _ <<<"$p"
		license="$(node -p "require('$work/$name/package/package.json').license" 2>/dev/null || echo see-LICENSE)"
		list=""
		for f in "${files[@]}"; do
			read -r pkg _ out _ <<<"$f"
			[ "$pkg" = "$name" ] && list="$list \`$out\`"
		done
		echo "| $name | $version | $license |$list |"
	done
} >"$stage/README.md"

rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -R "$stage" "$dest"
echo "vendor: installed ${#packages[@]} packages into $dest"
