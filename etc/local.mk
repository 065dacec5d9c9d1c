## etc/local.mk: example configuration files installed (included by Makefile.am).
## The examples for the web servers, systemd, cron and spawn-fcgi go to
## $(sysconfdir)/sealform/examples/<folder>; a sysadmin copies what the
## chosen deployment needs (INSTALL says which). Nothing here is activated.
sealformexamplesdir = $(sysconfdir)/sealform/examples

apache2examplesdir = $(sealformexamplesdir)/apache2
dist_apache2examples_DATA = \
	etc/apache2/sealform-proxy-fcgi.conf \
	etc/apache2/sealform-fcgid.conf \
	etc/apache2/sealform-cgi.conf

nginxexamplesdir = $(sealformexamplesdir)/nginx
dist_nginxexamples_DATA = etc/nginx/sealform.conf

systemdexamplesdir = $(sealformexamplesdir)/systemd
dist_systemdexamples_DATA = \
	etc/systemd/sealform.socket \
	etc/systemd/sealform.service \
	etc/systemd/sealform-purge.service \
	etc/systemd/sealform-purge.timer

crondexamplesdir = $(sealformexamplesdir)/cron.d
dist_crondexamples_DATA = etc/cron.d/sealform-purge

spawnfcgiexamplesdir = $(sealformexamplesdir)/spawn-fcgi
dist_spawnfcgiexamples_DATA = etc/spawn-fcgi/sealform

## The key directory (mode 0750) and the state directory. Only mkdir and
## chmod: `make install` may run as a normal user (and does under
## distcheck), so ownership is the sysadmin's step (INSTALL).
sealform_keysdir = $(sysconfdir)/sealform/keys
sealform_statedir = $(localstatedir)/lib/sealform

install-data-local:
	$(MKDIR_P) "$(DESTDIR)$(sealform_keysdir)" "$(DESTDIR)$(sealform_statedir)"
	chmod 0750 "$(DESTDIR)$(sealform_keysdir)"
	chmod 0700 "$(DESTDIR)$(sealform_statedir)"

## Removes the two directories only when empty: keys and databases stay.
uninstall-local:
	rmdir "$(DESTDIR)$(sealform_keysdir)" 2>/dev/null || :
	rmdir "$(DESTDIR)$(sealform_statedir)" 2>/dev/null || :
