## src/admin/local.mk: sealform-admin, the only program that links the
## decryption library (included by Makefile.am).
sbin_PROGRAMS += src/admin/sealform-admin
src_admin_sealform_admin_CPPFLAGS = $(AM_CPPFLAGS) $(DEPS_CFLAGS)
src_admin_sealform_admin_SOURCES = \
	src/admin/commands.h \
	src/admin/main.cc \
	src/admin/keygen.cc
src_admin_sealform_admin_LDADD = libsealform_open.a libsealform_core.a $(DEPS_LIBS)
