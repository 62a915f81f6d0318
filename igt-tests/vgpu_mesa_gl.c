// SPDX-License-Identifier: MIT
/**
 * TEST: vgpu mesa gl
 * Category: Core
 * Sub-category: Virtualization
 * Functionality: Mesa's GL driver on the vGPU
 * Feature: vgpu
 * Description: Mesa's Intel GL driver (iris on Skylake, crocus on Haswell)
 *   as an application sees it on the vGPU, through EGL's surfaceless
 *   platform and a desktop GL context: which driver and renderer, the
 *   video memory it reports, and whether buffers up to that size can be
 *   allocated, mapped and read back and used in one draw. The 3D engine
 *   executes as counted no-ops on this host, so pixels are reported, never
 *   judged; where the driver's figure and the vGPU's partition disagree (a
 *   draw whose buffers the guest's slice of the GGTT cannot hold) it is
 *   reported as a finding.
 *
 * SUBTEST: driver
 * Description: EGL names the Intel driver of the vGPU's PCI device (not a
 *   software fallback) and GL its renderer; the video memory it reports
 *   (GL_NVX_gpu_memory_info) is printed.
 *
 * SUBTEST: buffers
 * Description: Buffer objects of 32 MiB up to the reported memory (at most
 *   half the guest's free RAM), each filled through a write mapping and read
 *   back through a read mapping.
 *
 * SUBTEST: draw
 * Description: One draw whose vertex attributes come from 1, 2, 4, 8 and 16
 *   such buffers (at most half the guest's free RAM), each in a process of
 *   its own (a driver that cannot submit aborts): up to 256 MiB must
 *   complete, the first larger one that does not is reported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>

#include "vgpu_guest.h"
#include "vgpu_igt.h"

#define BLOCK		(32 * MiB)
#define MAX_BLOCKS	96
#define MUST_DRAW	(256 * MiB)
#define MAX_ATTRIBS	16
#define FB_SIZE		64
#define DRAW_CHILD	"--draw-child"	/* internal: one draw, in t_draw's child */

/* GL_NVX_gpu_memory_info, in KiB */
#define GPU_MEMORY_INFO_DEDICATED_VIDMEM_NVX		0x9047
#define GPU_MEMORY_INFO_TOTAL_AVAILABLE_MEMORY_NVX	0x9048
#define GPU_MEMORY_INFO_CURRENT_AVAILABLE_VIDMEM_NVX	0x9049
#define VBO_FREE_MEMORY_ATI				0x87fb	/* GL_ATI_meminfo */
#define GL_MAP_READ		0x0001

static const struct {
	uint32_t id;
	const char *renderer, *driver;
} devices[] = {
	{ 0x1912, "HD Graphics 530 (SKL GT2)", "iris" },
	{ 0x0412, "HD Graphics 4600 (HSW GT2)", "crocus" },
};

/* The GL entry points, from eglGetProcAddress (EGL 1.5: core ones too). */
#define GL_FUNCS(X) \
	X(PFNGLGETSTRINGPROC, GetString) X(PFNGLGETSTRINGIPROC, GetStringi) \
	X(PFNGLGETINTEGERVPROC, GetIntegerv) X(PFNGLGETERRORPROC, GetError) \
	X(PFNGLGENBUFFERSPROC, GenBuffers) X(PFNGLBINDBUFFERPROC, BindBuffer) \
	X(PFNGLBUFFERDATAPROC, BufferData) X(PFNGLMAPBUFFERRANGEPROC, MapBufferRange) \
	X(PFNGLUNMAPBUFFERPROC, UnmapBuffer) X(PFNGLDELETEBUFFERSPROC, DeleteBuffers) \
	X(PFNGLCREATESHADERPROC, CreateShader) X(PFNGLSHADERSOURCEPROC, ShaderSource) \
	X(PFNGLCOMPILESHADERPROC, CompileShader) X(PFNGLGETSHADERIVPROC, GetShaderiv) \
	X(PFNGLGETSHADERINFOLOGPROC, GetShaderInfoLog) X(PFNGLCREATEPROGRAMPROC, CreateProgram) \
	X(PFNGLATTACHSHADERPROC, AttachShader) X(PFNGLLINKPROGRAMPROC, LinkProgram) \
	X(PFNGLGETPROGRAMIVPROC, GetProgramiv) X(PFNGLUSEPROGRAMPROC, UseProgram) \
	X(PFNGLBINDATTRIBLOCATIONPROC, BindAttribLocation) \
	X(PFNGLGENVERTEXARRAYSPROC, GenVertexArrays) X(PFNGLBINDVERTEXARRAYPROC, BindVertexArray) \
	X(PFNGLVERTEXATTRIBPOINTERPROC, VertexAttribPointer) \
	X(PFNGLENABLEVERTEXATTRIBARRAYPROC, EnableVertexAttribArray) \
	X(PFNGLGENRENDERBUFFERSPROC, GenRenderbuffers) X(PFNGLBINDRENDERBUFFERPROC, BindRenderbuffer) \
	X(PFNGLRENDERBUFFERSTORAGEPROC, RenderbufferStorage) \
	X(PFNGLGENFRAMEBUFFERSPROC, GenFramebuffers) X(PFNGLBINDFRAMEBUFFERPROC, BindFramebuffer) \
	X(PFNGLFRAMEBUFFERRENDERBUFFERPROC, FramebufferRenderbuffer) \
	X(PFNGLCHECKFRAMEBUFFERSTATUSPROC, CheckFramebufferStatus) \
	X(PFNGLVIEWPORTPROC, Viewport) X(PFNGLCLEARCOLORPROC, ClearColor) X(PFNGLCLEARPROC, Clear) \
	X(PFNGLDRAWARRAYSPROC, DrawArrays) X(PFNGLFINISHPROC, Finish) \
	X(PFNGLREADPIXELSPROC, ReadPixels)

static struct {
#define X(type, name) type name;
	GL_FUNCS(X)
#undef X
} gl;

static struct {
	EGLDisplay dpy;
	EGLContext ctx;
	unsigned int expect;
	const char *driver;
	uint64_t total_kib;	/* reported, 0: not reported */
} g;

/* EGL on the surfaceless platform, a desktop GL 3.3 core context, current. */
static bool gl_init(char *why, size_t len)
{
	static const EGLint attrs[] = {
		EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
		EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE,
	};
	PFNEGLGETDISPLAYDRIVERNAMEPROC driver_name;
	EGLint major, minor;

	g.dpy = eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
	if (g.dpy == EGL_NO_DISPLAY || !eglInitialize(g.dpy, &major, &minor)) {
		snprintf(why, len, "no EGL surfaceless display (error %#x)", eglGetError());
		return false;
	}
	driver_name = (PFNEGLGETDISPLAYDRIVERNAMEPROC)eglGetProcAddress("eglGetDisplayDriverName");
	g.driver = driver_name ? driver_name(g.dpy) : NULL;
	if (!eglBindAPI(EGL_OPENGL_API)) {
		snprintf(why, len, "eglBindAPI(EGL_OPENGL_API): error %#x", eglGetError());
		return false;
	}
	g.ctx = eglCreateContext(g.dpy, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attrs);
	if (g.ctx == EGL_NO_CONTEXT ||
	    !eglMakeCurrent(g.dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, g.ctx)) {
		snprintf(why, len, "no current GL 3.3 core context (error %#x)", eglGetError());
		return false;
	}
#define X(type, name) \
	if (!(gl.name = (type)eglGetProcAddress("gl" #name))) { \
		snprintf(why, len, "no gl" #name); \
		return false; \
	}
	GL_FUNCS(X)
#undef X
	return true;
}

static bool has_extension(const char *name)
{
	GLint n = 0;

	gl.GetIntegerv(GL_NUM_EXTENSIONS, &n);
	for (GLint i = 0; i < n; i++)
		if (!strcmp((const char *)gl.GetStringi(GL_EXTENSIONS, (GLuint)i), name))
			return true;
	return false;
}

static void fixture(void)
{
	unsigned long long id = vgpu_pci_device_id();
	char why[160];
	unsigned int i;

	setenv("MESA_SHADER_CACHE_DISABLE", "true", 0);
	g.expect = ARRAY_SIZE(devices);
	for (i = 0; i < ARRAY_SIZE(devices); i++)
		if (devices[i].id == id)
			g.expect = i;
	vgpu_require(g.expect < ARRAY_SIZE(devices), "00:02.0 is %#llx, not a modelled vGPU", id);
	vgpu_assert(gl_init(why, sizeof(why)), "%s", why);
}

static void t_driver(void)
{
	const char *renderer = (const char *)gl.GetString(GL_RENDERER);
	GLint ded = 0, total = 0, cur = 0;

	vgpu_info("EGL driver %s; GL_RENDERER %s; GL_VERSION %s", g.driver ? g.driver : "?",
		  renderer, (const char *)gl.GetString(GL_VERSION));
	vgpu_check(g.driver && !strcmp(g.driver, devices[g.expect].driver),
		   "EGL driver %s, want %s", g.driver ? g.driver : "(none)",
		   devices[g.expect].driver);
	vgpu_check(renderer && strstr(renderer, devices[g.expect].renderer),
		   "GL_RENDERER '%s', want '%s'", renderer ? renderer : "",
		   devices[g.expect].renderer);
	if (has_extension("GL_NVX_gpu_memory_info")) {
		gl.GetIntegerv(GPU_MEMORY_INFO_DEDICATED_VIDMEM_NVX, &ded);
		gl.GetIntegerv(GPU_MEMORY_INFO_TOTAL_AVAILABLE_MEMORY_NVX, &total);
		gl.GetIntegerv(GPU_MEMORY_INFO_CURRENT_AVAILABLE_VIDMEM_NVX, &cur);
		g.total_kib = (uint64_t)total;
		vgpu_info("video memory (GL_NVX_gpu_memory_info): dedicated %d MiB, total "
			  "available %d MiB, currently available %d MiB", ded / 1024, total / 1024,
			  cur / 1024);
	} else if (has_extension("GL_ATI_meminfo")) {
		GLint vbo[4] = { 0 };

		gl.GetIntegerv(VBO_FREE_MEMORY_ATI, vbo);
		g.total_kib = (uint64_t)vbo[0];
		vgpu_info("video memory (GL_ATI_meminfo): %d MiB free for buffers", vbo[0] / 1024);
	} else {
		vgpu_info("neither GL_NVX_gpu_memory_info nor GL_ATI_meminfo: no video memory "
			  "figure through EGL");
	}
	vgpu_check(gl.GetError() == GL_NO_ERROR, "a GL error");
}

/* Fill buffer object @b of @n with its pattern through a write map. */
static bool fill(GLuint b, unsigned int n)
{
	uint32_t *p;

	gl.BindBuffer(GL_ARRAY_BUFFER, b);
	gl.BufferData(GL_ARRAY_BUFFER, BLOCK, NULL, GL_STATIC_DRAW);
	p = gl.MapBufferRange(GL_ARRAY_BUFFER, 0, BLOCK,
			      GL_MAP_WRITE_BIT | GL_MAP_INVALIDATE_BUFFER_BIT);
	if (!p)
		return false;
	for (size_t i = 0; i < BLOCK / 4; i++)
		p[i] = (uint32_t)(n << 24) ^ (uint32_t)i;
	return gl.UnmapBuffer(GL_ARRAY_BUFFER) == GL_TRUE;
}

static uint64_t check(GLuint b, unsigned int n)
{
	const uint32_t *p;
	uint64_t bad = 0;

	gl.BindBuffer(GL_ARRAY_BUFFER, b);
	p = gl.MapBufferRange(GL_ARRAY_BUFFER, 0, BLOCK, GL_MAP_READ);
	if (!p)
		return BLOCK / 4;
	for (size_t i = 0; i < BLOCK / 4; i++)
		bad += p[i] != ((uint32_t)(n << 24) ^ (uint32_t)i);
	gl.UnmapBuffer(GL_ARRAY_BUFFER);
	return bad;
}

static void t_buffers(void)
{
	uint64_t avail = vgpu_mem_available(), target = g.total_kib * KiB, bad = 0;
	GLuint buf[MAX_BLOCKS];
	unsigned int n, want;
	GLenum err = GL_NO_ERROR;

	if (!target)
		target = 512 * MiB;
	if (target > avail / 2)
		target = avail / 2;	/* the rest is the guest's: no swap, a 9p root */
	want = (unsigned int)(target / BLOCK);
	if (want > MAX_BLOCKS)
		want = MAX_BLOCKS;
	vgpu_info("reported %" PRIu64 " MiB, guest RAM available %" PRIu64 " MiB: %u buffers of %"
		  PRIu64 " MiB", g.total_kib / 1024, avail / MiB, want, BLOCK / MiB);
	gl.GenBuffers((GLsizei)want, buf);
	for (n = 0; n < want; n++) {
		if (!fill(buf[n], n) || (err = gl.GetError()) != GL_NO_ERROR)
			break;
	}
	for (unsigned int i = 0; i < n; i++)
		bad += check(buf[i], i);
	vgpu_info("%u buffers (%" PRIu64 " MiB) filled and read back through maps, %" PRIu64
		  " wrong dwords%s", n, (uint64_t)n * BLOCK / MiB, bad,
		  n < want ? "; stopped by a GL error" : "");
	vgpu_check(n == want, "buffer %u of %u: GL error %#x", n, want, err);
	vgpu_check(!bad, "%" PRIu64 " dwords read back wrong through the maps", bad);
	gl.DeleteBuffers((GLsizei)want, buf);
}

static GLuint shader(GLenum kind, const char *src)
{
	GLuint s = gl.CreateShader(kind);
	GLint ok = 0;
	char log[512] = "";

	gl.ShaderSource(s, 1, &src, NULL);
	gl.CompileShader(s);
	gl.GetShaderiv(s, GL_COMPILE_STATUS, &ok);
	if (!ok) {
		gl.GetShaderInfoLog(s, sizeof(log), NULL, log);
		printf("draw: shader: %s\n", log);
	}
	return ok ? s : 0;
}

/*
 * In a child (exec'd): k buffers filled, one draw of GL_POINTS reading every vertex
 * of each (attribute i from buffer i), glFinish. Exit 0, or 1 on a GL error.
 */
static int draw_child(unsigned int k)
{
	char vs[2048], why[160];
	GLuint buf[MAX_ATTRIBS], prog, vao, fb, rb, s1, s2;
	GLint ok = 0;
	uint32_t px = 0;
	size_t o;

	if (!gl_init(why, sizeof(why))) {
		printf("draw: %s\n", why);
		return 1;
	}
	o = (size_t)snprintf(vs, sizeof(vs), "#version 330 core\n");
	for (unsigned int i = 0; i < k; i++)
		o += (size_t)snprintf(vs + o, sizeof(vs) - o, "in vec4 a%u;\n", i);
	o += (size_t)snprintf(vs + o, sizeof(vs) - o, "void main() { gl_Position = vec4(0.0)");
	for (unsigned int i = 0; i < k; i++)
		o += (size_t)snprintf(vs + o, sizeof(vs) - o, " + a%u", i);
	snprintf(vs + o, sizeof(vs) - o, "; gl_PointSize = 1.0; }\n");
	s1 = shader(GL_VERTEX_SHADER, vs);
	s2 = shader(GL_FRAGMENT_SHADER, "#version 330 core\nout vec4 c;\n"
		    "void main() { c = vec4(1.0, 0.5, 0.25, 1.0); }\n");
	if (!s1 || !s2)
		return 1;
	prog = gl.CreateProgram();
	gl.AttachShader(prog, s1);
	gl.AttachShader(prog, s2);
	for (unsigned int i = 0; i < k; i++) {
		char name[16];

		snprintf(name, sizeof(name), "a%u", i);
		gl.BindAttribLocation(prog, i, name);
	}
	gl.LinkProgram(prog);
	gl.GetProgramiv(prog, GL_LINK_STATUS, &ok);
	if (!ok) {
		printf("draw: link failed\n");
		return 1;
	}
	gl.UseProgram(prog);
	gl.GenRenderbuffers(1, &rb);
	gl.BindRenderbuffer(GL_RENDERBUFFER, rb);
	gl.RenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, FB_SIZE, FB_SIZE);
	gl.GenFramebuffers(1, &fb);
	gl.BindFramebuffer(GL_FRAMEBUFFER, fb);
	gl.FramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb);
	if (gl.CheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
		printf("draw: framebuffer incomplete\n");
		return 1;
	}
	gl.GenVertexArrays(1, &vao);
	gl.BindVertexArray(vao);
	gl.GenBuffers((GLsizei)k, buf);
	for (unsigned int i = 0; i < k; i++) {
		if (!fill(buf[i], i)) {
			printf("draw: buffer %u: map failed (GL error %#x)\n", i, gl.GetError());
			return 1;
		}
		gl.BindBuffer(GL_ARRAY_BUFFER, buf[i]);
		gl.VertexAttribPointer(i, 4, GL_FLOAT, GL_FALSE, 16, NULL);
		gl.EnableVertexAttribArray(i);
	}
	gl.Viewport(0, 0, FB_SIZE, FB_SIZE);
	gl.ClearColor(0.0f, 0.0f, 1.0f, 1.0f);
	gl.Clear(GL_COLOR_BUFFER_BIT);
	gl.DrawArrays(GL_POINTS, 0, (GLsizei)(BLOCK / 16));
	gl.Finish();
	gl.ReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, &px);
	printf("draw: %u buffer(s) drawn, GL error %#x, pixel (0,0) %#010x "
	       "(nothing is rendered on this host)\n", k, gl.GetError(), px);
	fflush(stdout);
	return 0;
}

static void t_draw(void)
{
	uint64_t avail = vgpu_mem_available();
	unsigned int k, done = 0;
	int status = 0;

	for (k = 1; k <= MAX_ATTRIBS; k *= 2) {
		pid_t pid;

		if ((uint64_t)k * BLOCK > avail / 2) {
			vgpu_info("a draw over %" PRIu64 " MiB not tried: the guest has %" PRIu64
				  " MiB of RAM free", (uint64_t)k * BLOCK / MiB, avail / MiB);
			k = MAX_ATTRIBS * 2;
			break;
		}

		fflush(stdout);
		fflush(stderr);
		pid = fork();
		vgpu_assert(pid >= 0, "fork: %s", strerror(errno));
		if (!pid) {
			char arg[16];

			/* A fresh process: this one's driver threads do not survive a fork. */
			snprintf(arg, sizeof(arg), "%u", k);
			execl("/proc/self/exe", "vgpu_mesa_gl", DRAW_CHILD, arg, (char *)NULL);
			_exit(127);
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		vgpu_info("one draw from %u buffer(s) (%" PRIu64 " MiB): %s %d", k,
			  (uint64_t)k * BLOCK / MiB,
			  WIFEXITED(status) ? "exit" : "killed by signal",
			  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			break;
		done = k;
	}
	if (k <= MAX_ATTRIBS)
		vgpu_info("FINDING: the driver reports %" PRIu64 " MiB (0: not through EGL); "
			  "a draw over %" PRIu64 " MiB of buffers fails (the driver aborts; a "
			  "release build says nothing), one over %" PRIu64 " MiB completes",
			  g.total_kib / 1024, (uint64_t)k * BLOCK / MiB,
			  (uint64_t)done * BLOCK / MiB);
	vgpu_check(k > MAX_ATTRIBS || (uint64_t)k * BLOCK > MUST_DRAW,
		   "a draw over %" PRIu64 " MiB failed", (uint64_t)k * BLOCK / MiB);
}

static const struct vgpu_subtest tests[] = {
	{ "driver", "", t_driver },
	{ "buffers", "", t_buffers },
	{ "draw", "", t_draw },
};

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], DRAW_CHILD)) {
		setenv("MESA_SHADER_CACHE_DISABLE", "true", 0);
		return draw_child((unsigned int)strtoul(argv[2], NULL, 10));
	}
	return vgpu_igt_main(argc, argv, tests, ARRAY_SIZE(tests), fixture);
}
