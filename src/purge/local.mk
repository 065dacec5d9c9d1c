## src/purge/local.mk: sealform-purge, the retention purge, the legal-hold
## store and the retention rule (included by Makefile.am).

## The rule, the purge engine and the hold store live in the core: the purge
## and the admin tool share them; none of them decrypts anything.
libsealform_core_a_SOURCES += \
	src/core/retention.h src/core/retention.cc \
	src/core/db_connect.h src/core/db_connect.cc \
	src/core/purge.h src/core/purge.cc \
	src/core/hold_records.h src/core/hold_records.cc \
	src/core/hold_store.h src/core/hold_store.cc

## sealform-purge links the core only: it cannot open a sealed record.
sbin_PROGRAMS += src/purge/sealform-purge
src_purge_sealform_purge_CPPFLAGS = $(AM_CPPFLAGS) $(DEPS_CFLAGS)
src_purge_sealform_purge_SOURCES = \
	src/purge/main.cc \
	src/purge/report.h src/purge/report.cc
src_purge_sealform_purge_LDADD = libsealform_core.a $(DEPS_LIBS)

tests_unit_tests_SOURCES += \
	tests/unit/retention_test.cc \
	tests/unit/purge_test.cc \
	tests/unit/hold_store_test.cc \
	tests/unit/purge_fixture.h tests/unit/purge_fixture.cc
