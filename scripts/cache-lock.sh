# Sourced by the scripts that build something once into the cache. Two
# make jobs may ask for the same cached thing at once (make -j builds
# vgpu_init and vgpu_balloon, and both need the guest root): the second
# must wait for the first and then find it built, not start a second
# build in the same directory. The lock is released when the script exits.
#
#   cache_lock NAME    after cache= is set; blocks until NAME is ours
cache_lock() {
	mkdir -p "$cache"
	exec 9>"$cache/.$1.lock"
	if command -v flock >/dev/null 2>&1; then
		flock 9
	fi
}
