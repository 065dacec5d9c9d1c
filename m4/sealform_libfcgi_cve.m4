# sealform_libfcgi_cve.m4: refuse a libfcgi that is vulnerable to CVE-2025-23016.
#
# SEALFORM_CHECK_LIBFCGI_CVE_2025_23016
# -------------------------------------
# Builds build-aux/libfcgi_cve_probe.cc with $FCGI_CFLAGS and $FCGI_LIBS
# (set by PKG_CHECK_MODULES([FCGI], ...) before), runs it, and stops
# configure when libfcgi does not refuse a parameter whose four-byte lengths
# overflow its buffer size: a heap overflow reachable by whoever can write
# to the FastCGI socket. A version check cannot tell: Debian 12's fixed
# package still reports 2.4.2 to pkg-config. When cross-compiling the probe
# cannot run: configure warns and goes on.
#
# The result is cached in sealform_cv_libfcgi_rejects_oversized_params:
# yes, no, cross, unlinkable (no program links with libfcgi) or error (the
# probe itself failed; its reason is in config.log).
AC_DEFUN([SEALFORM_CHECK_LIBFCGI_CVE_2025_23016], [
AC_LANG_PUSH([C++])
AC_MSG_CHECKING([whether libfcgi rejects oversized parameter lengths (CVE-2025-23016)])
AC_CACHE_VAL([sealform_cv_libfcgi_rejects_oversized_params], [
  sealform_save_CPPFLAGS=$CPPFLAGS
  sealform_save_LIBS=$LIBS
  CPPFLAGS="-I$srcdir/build-aux $FCGI_CFLAGS $CPPFLAGS"
  LIBS="$FCGI_LIBS $LIBS"
  dnl Link first, so that a failure to link is not mistaken for a verdict.
  AC_LINK_IFELSE([AC_LANG_SOURCE([[#include "libfcgi_cve_probe.cc"]])],
    [AC_RUN_IFELSE([AC_LANG_SOURCE([[#include "libfcgi_cve_probe.cc"]])],
      [sealform_cv_libfcgi_rejects_oversized_params=yes],
      [AS_IF([test $? -eq 1],
        [sealform_cv_libfcgi_rejects_oversized_params=no],
        [sealform_cv_libfcgi_rejects_oversized_params=error])],
      [sealform_cv_libfcgi_rejects_oversized_params=cross])],
    [sealform_cv_libfcgi_rejects_oversized_params=unlinkable])
  CPPFLAGS=$sealform_save_CPPFLAGS
  LIBS=$sealform_save_LIBS
])
AS_CASE([$sealform_cv_libfcgi_rejects_oversized_params],
  [yes], [AC_MSG_RESULT([yes])],
  [no], [AC_MSG_RESULT([no])
    AC_MSG_ERROR([libfcgi is vulnerable to CVE-2025-23016 (a heap overflow reachable from the FastCGI socket; the probe's finding is in config.log). Install a fixed build: upstream fcgi 2.4.5 or later, or on Debian 12 libfcgi 2.4.2-2+deb12u1 or later (apt-get install libfcgi0ldbl libfcgi-dev).])],
  [cross], [AC_MSG_RESULT([unknown (cross-compiling)])
    AC_MSG_WARN([cannot check libfcgi for CVE-2025-23016 when cross-compiling: make sure the target's libfcgi is a fixed build (upstream fcgi 2.4.5 or later, Debian 12 libfcgi 2.4.2-2+deb12u1 or later).])],
  [unlinkable], [AC_MSG_RESULT([unknown])
    AC_MSG_ERROR([cannot link a program with libfcgi ($FCGI_LIBS); see config.log.])],
  [AC_MSG_RESULT([unknown])
    AC_MSG_ERROR([the CVE-2025-23016 probe (build-aux/libfcgi_cve_probe.cc) could not run; its reason is in config.log.])])
AC_LANG_POP([C++])
])
