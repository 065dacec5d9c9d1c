## man/local.mk: the manual pages (included by Makefile.am).
