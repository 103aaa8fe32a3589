# What "cmake --install" and the .deb put where (GNUInstallDirs):
#   bin/                     the three programs and hoctap-nightly
#   share/hoctap/sql/        the SQL (the programs embed it; kept for DBAs)
#   share/hoctap/schedules/  the chain, its cron line, systemd units and env example
#   share/man/man1/          the manual pages (mdoc, docs/man/)
#   share/doc/hoctap/        README and docs/
#   share/locale/vi/         the Vietnamese catalogue (po/CMakeLists.txt)
# The programs find their catalogue beside them (PREFIX/bin/../share/locale),
# so the same build installs under /usr/local or packages under /usr.

set(HOCTAP_MAN_PAGES hoctap-ingest hoctap-transform hoctap-report hoctap-nightly)
set(HOCTAP_MAN_DIR ${PROJECT_BINARY_DIR}/man)
foreach(page IN LISTS HOCTAP_MAN_PAGES)
  configure_file(${PROJECT_SOURCE_DIR}/docs/man/${page}.1 ${HOCTAP_MAN_DIR}/${page}.1 @ONLY)
  install(FILES ${HOCTAP_MAN_DIR}/${page}.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()

install(DIRECTORY sql/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hoctap/sql)
install(DIRECTORY schedules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hoctap/schedules
        USE_SOURCE_PERMISSIONS
        PATTERN "hoctap-nightly.service" EXCLUDE PATTERN "hoctap.cron" EXCLUDE)
install(PROGRAMS schedules/hoctap-nightly DESTINATION ${CMAKE_INSTALL_BINDIR})
# The service and the cron line name the chain by its installed path, which
# is known only when installing (cpack installs under its own prefix).
install(CODE "
  foreach(f hoctap-nightly.service hoctap.cron)
    file(READ \"${PROJECT_SOURCE_DIR}/schedules/\${f}\" text)
    string(REPLACE \"/usr/local/share/hoctap/schedules/hoctap-nightly\"
           \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/hoctap-nightly\" text \"\${text}\")
    string(REPLACE \"/usr/local/\" \"\${CMAKE_INSTALL_PREFIX}/\" text \"\${text}\")
    file(WRITE \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/hoctap/schedules/\${f}\"
         \"\${text}\")
  endforeach()")
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} PATTERN "man" EXCLUDE)

# cpack -G DEB: a Debian package of the above under /usr.  Its library
# dependencies are read off the programs (dpkg-shlibdeps, from dpkg-dev).
set(CPACK_PACKAGE_NAME hoctap)
set(CPACK_PACKAGE_VENDOR "hoctap developers")
set(CPACK_PACKAGE_CONTACT "hoctap developers <hoctap@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "nightly pipeline for Vietnam's lifelong-learning statistics")
set(CPACK_PACKAGE_DESCRIPTION
    "hoctap ingests the yearly reports of communes on learning families, clans,\n\
communities and units into PostgreSQL, validates and rolls them up, and\n\
publishes traceable rates and fund figures for provincial committees.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The chain's own needs: bash, flock (util-linux), logger (bsdutils).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "bash, util-linux, bsdutils")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql (>= 15), postgresql-client")
set(CPACK_GENERATOR DEB)
include(CPack)
