## etc/local.mk: example configuration files installed (included by Makefile.am).
