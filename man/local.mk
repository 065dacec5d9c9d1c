## man/local.mk: the manual pages (included by Makefile.am).
## mdoc sources, installed as they are (man-db and mandoc both read mdoc);
## tests/e2e/man.test checks each with mandoc -Tlint.
dist_man_MANS = \
	man/sealform-fcgi.8 \
	man/sealform-purge.8 \
	man/sealform-admin.8 \
	man/sealform.conf.5
