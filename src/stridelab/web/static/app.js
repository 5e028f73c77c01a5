/* stridelab: uploads with live progress, Plotly figures, step table ↔ video sync.
   Plain JavaScript, no build step, nothing loaded from the network. */
(function () {
  "use strict";

  // ---------------------------------------------------------------- plots
  function drawPlots() {
    var holder = document.getElementById("plot-data");
    if (!holder || !window.Plotly) { return; }
    JSON.parse(holder.textContent).forEach(function (p) {
      if (document.getElementById(p.id)) {
        window.Plotly.newPlot(p.id, p.data, p.layout, {responsive: true, displaylogo: false});
      }
    });
  }

  // ---------------------------------------------------------------- jobs
  var jobsBox = document.getElementById("jobs");
  var polling = {};

  function jobRow(job) {
    var row = document.getElementById("job-" + job.job_id);
    if (!row) {
      row = document.createElement("div");
      row.id = "job-" + job.job_id;
      row.className = "job";
      var name = document.createElement("span");
      name.className = "name";
      var bar = document.createElement("progress");
      bar.max = 1;
      var status = document.createElement("span");
      status.className = "status";
      var detail = document.createElement("div");
      detail.className = "detail";
      row.append(name, bar, status, detail);
      jobsBox.prepend(row);
    }
    return row;
  }

  function showJob(job) {
    var row = jobRow(job);
    row.className = "job " + job.status;
    row.dataset.status = job.status;
    row.querySelector(".name").textContent = job.name;
    row.querySelector(".name").title = job.name;
    var bar = row.querySelector("progress");
    bar.value = job.progress;
    var pct = Math.round(job.progress * 100);
    var status = row.querySelector(".status");
    var detail = row.querySelector(".detail");
    detail.textContent = "";
    if (job.status === "failed") {
      status.textContent = "failed";
      var err = document.createElement("span");
      err.className = "error";
      err.textContent = job.error || "failed";
      detail.append(err);
    } else if (job.status === "done") {
      status.textContent = "done";
      var r = job.result || {};
      var link = document.createElement("a");
      link.href = r.url || "/";
      if (r.kind === "video") {
        link.textContent = "open the video report";
      } else {
        var n = (r.activity_ids || []).length;
        link.textContent = n + " activit" + (n === 1 ? "y" : "ies") + " stored";
        if (r.duplicate_files && !r.imported_files) { link.textContent += " (already there)"; }
      }
      link.className = "result-link";
      detail.append(link);
      (r.refused_files || []).forEach(function (f) {
        var s = document.createElement("div");
        s.className = "error";
        s.textContent = "skipped " + f.name + ": " + f.reason;
        detail.append(s);
      });
    } else {
      status.textContent = job.status === "queued" ? "waiting" : job.stage + " " + pct + "%";
    }
  }

  function poll(jobId) {
    if (polling[jobId]) { return; }
    polling[jobId] = true;
    function tick() {
      fetch("/api/jobs/" + encodeURIComponent(jobId), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (job) {
          if (!job) { delete polling[jobId]; return; }
          showJob(job);
          if (job.status === "queued" || job.status === "running") {
            setTimeout(tick, 400);
          } else {
            delete polling[jobId];
          }
        })
        .catch(function () { setTimeout(tick, 1500); });
    }
    tick();
  }

  function uploadOne(file, params) {
    var placeholder = {job_id: "local-" + Math.random().toString(36).slice(2), name: file.name,
                       status: "queued", progress: 0, stage: "uploading", error: null, result: null};
    showJob(placeholder);
    var row = document.getElementById("job-" + placeholder.job_id);
    row.querySelector(".status").textContent = "uploading";
    var body = new FormData();
    body.append("file", file, file.name);
    return fetch("/api/uploads?" + params.toString(), {method: "POST", body: body, credentials: "same-origin"})
      .then(function (r) {
        return r.json().then(function (data) { return {ok: r.ok, data: data}; });
      })
      .then(function (res) {
        if (!res.ok) {
          placeholder.status = "failed";
          placeholder.error = res.data.detail && typeof res.data.detail === "string"
            ? res.data.detail : JSON.stringify(res.data.detail);
          showJob(placeholder);
          return;
        }
        row.id = "job-" + res.data.job_id;
        poll(res.data.job_id);
      })
      .catch(function (e) {
        placeholder.status = "failed";
        placeholder.error = "upload failed: " + e;
        showJob(placeholder);
      });
  }

  function setUpUploads() {
    var form = document.getElementById("upload-form");
    if (!form || !jobsBox) { return; }
    var input = document.getElementById("file-input");
    var zone = document.getElementById("drop-zone");
    function params() {
      var p = new URLSearchParams();
      var h = document.getElementById("height-cm").value;
      if (h) { p.set("height_cm", h); }
      p.set("view", document.getElementById("view").value);
      return p;
    }
    function send(files) {
      Array.prototype.forEach.call(files, function (f) { uploadOne(f, params()); });
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      send(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (ev) { ev.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (ev) {
      ev.preventDefault();
      if (ev.dataTransfer && ev.dataTransfer.files.length) { send(ev.dataTransfer.files); }
    });
    // jobs of this app run, also after a reload
    fetch("/api/jobs", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (jobs) {
        jobs.slice().reverse().forEach(function (job) {
          showJob(job);
          if (job.status === "queued" || job.status === "running") { poll(job.job_id); }
        });
      });
  }

  // ---------------------------------------------------------------- video ↔ steps
  function setUpSteps() {
    var video = document.getElementById("video");
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.step[data-t]"));
    if (!video || !rows.length) { return; }
    function mark(row) {
      rows.forEach(function (r) { r.classList.toggle("current", r === row); });
    }
    rows.forEach(function (row) {
      function seek() {
        video.pause();
        video.currentTime = parseFloat(row.dataset.t);
        mark(row);
      }
      row.addEventListener("click", seek);
      row.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); seek(); }
      });
    });
    video.addEventListener("timeupdate", function () {
      var t = video.currentTime, current = null;
      rows.forEach(function (r) {
        if (parseFloat(r.dataset.t) - 0.001 <= t && t <= parseFloat(r.dataset.end)) { current = r; }
      });
      if (current) { mark(current); }
    });
  }

  drawPlots();
  setUpUploads();
  setUpSteps();
})();
