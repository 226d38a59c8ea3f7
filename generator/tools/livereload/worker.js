// Shared by every open tab of a `versus serve` preview: one event stream to the
// server, each new status passed on to every tab.
var ports = [];
var last = null;
var events = null;

onconnect = function (connection) {
  var port = connection.ports[0];
  ports.push(port);
  port.onmessage = function (message) {
    if (message.data === "bye") ports = ports.filter(function (p) { return p !== port; });
  };
  if (last) port.postMessage(last);
  if (!events) {
    events = new EventSource("events");  // relative to this script: /__versus/events
    events.onmessage = function (message) {
      last = JSON.parse(message.data);
      ports.forEach(function (p) { p.postMessage(last); });
    };
  }
};
