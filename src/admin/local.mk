## src/admin/local.mk: sealform-admin, the only program that links the
## decryption library (included by Makefile.am).
sbin_PROGRAMS += src/admin/sealform-admin
src_admin_sealform_admin_CPPFLAGS = $(AM_CPPFLAGS) $(DEPS_CFLAGS)
src_admin_sealform_admin_SOURCES = \
	src/admin/commands.h \
	src/admin/main.cc \
	src/admin/commands.cc \
	src/admin/keygen.cc \
	src/admin/passphrase.h src/admin/passphrase.cc \
	src/admin/session.h src/admin/session.cc \
	src/admin/session_open.cc \
	src/admin/actions.h \
	src/admin/listing.cc \
	src/admin/export.cc \
	src/admin/changes.cc \
	src/admin/erase.cc \
	src/admin/keys_cmd.cc \
	src/admin/audit_cmd.cc \
	src/admin/hold.cc
src_admin_sealform_admin_LDADD = libsealform_open.a libsealform_core.a $(DEPS_LIBS)

## The audit trail and the staff-side record store live in the core (the
## purge appends to the same audit trail).
libsealform_core_a_SOURCES += \
	src/core/audit.h src/core/audit.cc \
	src/core/records.h src/core/sqlite_records.cc

## Unit tests of the admin logic (actions.h), without main.cc,
## commands.cc and session_open.cc: the tests build their own Session
## around a fake hold store.
tests_unit_tests_SOURCES += \
	tests/unit/audit_test.cc \
	tests/unit/records_test.cc \
	tests/unit/admin_test.cc \
	src/admin/session.cc \
	src/admin/passphrase.cc \
	src/admin/listing.cc \
	src/admin/export.cc \
	src/admin/changes.cc \
	src/admin/erase.cc \
	src/admin/keys_cmd.cc \
	src/admin/audit_cmd.cc
