/* Field registration that survives a dropped connection (no library, no CDN).
   Each entry gets a UUID made on the phone and waits in localStorage until the server has
   answered for it; the server records a UUID once, so sending again (a lost answer, a retry
   after the network returns, two tabs) never makes a second household. Without JavaScript the
   form still posts normally. */
(function () {
  "use strict";
  var KEY = "ansinh.relief.queue.v1";
  var form = document.getElementById("field-form");
  if (!form || !window.fetch || !window.localStorage || !window.crypto || !window.JSON) { return; }
  // Villages are grouped under their commune's name: only the chosen commune's group is offered.
  function filterVillages() {
    var commune = form.elements["commune"], village = form.elements["village"];
    if (!commune || !village || !commune.options) { return; }
    var picked = commune.selectedIndex >= 0 ? commune.options[commune.selectedIndex].text : "";
    Array.prototype.forEach.call(village.getElementsByTagName("optgroup"), function (group) {
      var other = !!commune.value && group.label !== picked;
      group.disabled = other;
      group.hidden = other;
      if (other && village.selectedOptions && village.selectedOptions[0] && village.selectedOptions[0].parentNode === group) {
        village.value = "";
      }
    });
  }
  if (form.elements["commune"]) { form.elements["commune"].addEventListener("change", filterVillages); }
  filterVillages();
  var statusBox = document.getElementById("queue");
  var list = document.getElementById("queue-list");
  var entryError = document.getElementById("entry-error");
  var syncButton = document.getElementById("sync-now");
  var syncUrl = form.getAttribute("data-sync-url");
  var eventId = form.getAttribute("data-event");
  var sending = false;
  var lastSent = [];

  function uuid4() {
    // crypto.randomUUID needs https; getRandomValues works on a plain-http intranet too.
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { window.localStorage.setItem(KEY, JSON.stringify(queue)); }
  function value(name) { var el = form.elements[name]; return el ? (el.type === "checkbox" ? el.checked : el.value.trim()) : ""; }
  function text(node, s) { node.textContent = s; return node; }

  function persons() {
    // The same lines the server reads without JavaScript (relief.forms.persons_from_text).
    var rows = [];
    value("injured_names").split("\n").forEach(function (line) {
      if (!line.trim()) { return; }
      var parts = line.split(";");
      rows.push({ full_name: parts[0].trim(), outcome: "injured", treatment_days: (parts[1] || "0").trim() });
    });
    value("killed_names").split("\n").forEach(function (line) {
      if (line.trim()) { rows.push({ full_name: line.trim(), outcome: "killed" }); }
    });
    return rows;
  }

  function entry() {
    return {
      uuid: uuid4(), event: eventId, commune: value("commune"), village: value("village"),
      household: value("household"), head_name: value("head_name"), head_personal_id: value("head_personal_id"),
      address: value("address"), size: value("size"), food_shortage: value("food_shortage"),
      house_damage: value("house_damage") || "none", persons: persons(), note: value("note"),
      recorded_at: new Date().toISOString()
    };
  }

  function render(problem) {
    var queue = load();
    statusBox.hidden = false;
    statusBox.className = "queue";
    if (queue.length) {
      statusBox.classList.add("pending");
      text(statusBox, "Chưa gửi: " + queue.length + " hộ (lưu trên điện thoại)" + (problem ? " – " + problem : "") + ". Sẽ tự gửi khi có mạng.");
    } else if (lastSent.length) {
      statusBox.classList.add("done");
      text(statusBox, "Đã gửi xong: " + lastSent.join(", ") + ".");
    } else {
      text(statusBox, "Chưa có phiếu chờ gửi.");
    }
    syncButton.hidden = !queue.length;
    list.innerHTML = "";
    queue.forEach(function (item) {
      var li = document.createElement("li");
      li.appendChild(text(document.createElement("span"), item.head_name + " · " + item.size + " người"));
      if (item.error) {
        li.appendChild(text(document.createElement("span"), item.error)).className = "error";
        var drop = text(document.createElement("button"), "Bỏ phiếu này");
        drop.type = "button";
        drop.className = "btn secondary";
        drop.addEventListener("click", function () {
          save(load().filter(function (e) { return e.uuid !== item.uuid; }));
          render();
        });
        li.appendChild(drop);
      }
      list.appendChild(li);
    });
  }

  function send() {
    var queue = load();
    if (sending || !queue.length) { render(); return; }
    sending = true;
    fetch(syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      body: JSON.stringify({ entries: queue })
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") !== 0) { throw new Error("Cần đăng nhập lại để gửi"); }
      if (!response.ok) { throw new Error("Máy chủ trả lỗi " + response.status); }
      return response.json();
    }).then(function (data) {
      var answered = {};
      data.results.forEach(function (r) { answered[r.uuid] = r; });
      var sent = [];
      // Read the queue again: entries saved while the request was travelling stay.
      var remaining = load().filter(function (item) {
        var r = answered[item.uuid];
        if (!r) { return true; }
        if (r.status === "error") { item.error = r.message; return true; }
        sent.push(r.head_name + (r.status === "duplicate" ? " (đã có)" : ""));
        return false;
      });
      save(remaining);
      lastSent = sent.length ? sent : lastSent;
      render();
    }).catch(function (error) {
      render(error && error.message && error.message.indexOf("Failed") === -1 ? error.message : "mất kết nối");
    }).then(function () { sending = false; });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var item = entry();
    entryError.hidden = true;
    if (!item.head_name || !item.size || !item.commune) {
      entryError.hidden = false;
      text(entryError, "Nhập họ tên chủ hộ, số nhân khẩu và chọn xã trước khi lưu.");
      return;
    }
    var queue = load();
    queue.push(item);
    save(queue);
    // Ready for the next household of the same commune and village.
    ["household", "head_name", "head_personal_id", "address", "size", "injured_names", "killed_names", "note"].forEach(function (name) {
      if (form.elements[name]) { form.elements[name].value = ""; }
    });
    form.elements.food_shortage.checked = false;
    form.elements.house_damage.value = "none";
    render();
    send();
    form.elements.head_name.focus();
  });
  syncButton.addEventListener("click", send);
  window.addEventListener("online", send);
  window.setInterval(send, 10000);
  render();
  send();
})();
