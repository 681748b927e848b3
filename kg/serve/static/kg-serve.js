// The page at / of `kg serve`: YASGUI on this endpoint, kg's saved queries as examples.
// Its settings come from the JSON in #kg-config (no inline script: the page's CSP allows
// scripts from this server only).
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;

  Yasgui.defaults.yasqe.value = config.default;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    persistenceId: "kg-serve:" + endpoint,
    yasqe: { value: config.default, autocompleters: ["variables", "prefixes"] },
    yasr: { prefixes: config.prefixes }
  });

  // A tab restored from an earlier visit may name another endpoint (a server since moved):
  // every tab asks this one.
  Object.keys(yasgui._tabs || {}).forEach(function (id) {
    var tab = yasgui.getTab(id);
    if (tab && tab.getEndpoint() !== endpoint) { tab.setEndpoint(endpoint); }
  });

  var select = document.getElementById("kg-examples");
  select.addEventListener("change", function () {
    var example = config.examples[Number(select.value)];
    if (!example) { return; }
    yasgui.addTab(true, { name: example.name, yasqe: { value: example.query },
                          requestConfig: { endpoint: endpoint } }, { avoidDuplicateTabs: true });
    select.value = "";
  });

  window.kgYasgui = yasgui;  // for tests and the browser's console
  document.body.setAttribute("data-state", "ready");
}());
