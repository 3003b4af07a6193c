// SmearScan page: sends each chosen image to /api/v1/classify (a few at a time, so the server can batch
// them together) and shows the call, its probability and the Grad-CAM heatmap. No build step, no libraries.
(function () {
  'use strict';

  var CONCURRENT_UPLOADS = 4;
  var state = { model: null, rows: [], queue: [], active: 0 };

  var els = {
    model: document.getElementById('model'),
    dropZone: document.getElementById('drop-zone'),
    input: document.getElementById('file-input'),
    heatmapToggle: document.getElementById('heatmap-toggle'),
    heatmapOption: document.getElementById('heatmap-option'),
    heatmapNote: document.getElementById('heatmap-note'),
    heatmapNoteEngine: document.getElementById('heatmap-note-engine'),
    summary: document.getElementById('summary'),
    parasitized: document.getElementById('summary-parasitized'),
    total: document.getElementById('summary-total'),
    extra: document.getElementById('summary-extra'),
    results: document.getElementById('results'),
    download: document.getElementById('download-csv'),
    clear: document.getElementById('clear'),
    template: document.getElementById('card-template')
  };

  function percent(p) {
    return (p * 100).toFixed(1) + '%';
  }

  function loadModel() {
    return fetch('api/v1/model').then(function (r) { return r.json(); }).then(function (m) {
      state.model = m;
      var info = m.info;
      els.model.textContent = '';
      addBadge('Model', m.id);
      addBadge('Network', String(info.spec.architecture).toLowerCase() + ' · ' + info.imageSize + ' px');
      addBadge('Threshold', percent(info.threshold));
      if (m.engine) {
        addBadge('Engine', m.engine === 'onnxruntime' ? 'ONNX Runtime' : m.engine === 'pytorch' ? 'PyTorch' : m.engine);
      }
      if (!heatmapsAvailable()) {
        // Grad-CAM needs gradients, which only the PyTorch engine computes; the server refuses ?heatmap=true
        els.heatmapToggle.checked = false;
        els.heatmapToggle.disabled = true;
        els.heatmapOption.classList.add('disabled');
        els.heatmapNoteEngine.textContent = m.engine === 'onnxruntime' ? 'ONNX Runtime' : m.engine;
        els.heatmapNote.hidden = false;
        state.rows.forEach(function (row) {
          var figure = row.card.querySelector('.heatmap-figure');
          if (figure && row.status === 'pending') { figure.remove(); }
        });
      }
    }).catch(function () {
      els.model.textContent = 'Model information unavailable';
    });
  }

  // Uploads wait for the model information (see send), so this is known when it matters; without the
  // information (it failed to load) the page asks as it always did, and a refusal shows on the card.
  function heatmapsAvailable() {
    return !state.model || !state.model.engine || state.model.engine === 'pytorch';
  }

  function addBadge(name, value) {
    var badge = document.createElement('span');
    badge.className = 'badge';
    var key = document.createElement('span');
    key.className = 'badge-key';
    key.textContent = name;
    var val = document.createElement('span');
    val.className = 'badge-value';
    val.textContent = value;
    badge.appendChild(key);
    badge.appendChild(val);
    els.model.appendChild(badge);
  }

  function addFiles(fileList) {
    var files = Array.prototype.slice.call(fileList);
    files.forEach(function (file) {
      var card = els.template.content.firstElementChild.cloneNode(true);
      var row = { file: file, name: file.name, card: card, status: 'pending', result: null, error: null };
      var cell = card.querySelector('img.cell');
      row.objectUrl = URL.createObjectURL(file);
      cell.src = row.objectUrl;
      card.querySelector('.name').textContent = file.name;
      card.querySelector('.name').title = file.name;
      if (!els.heatmapToggle.checked) {
        card.querySelector('.heatmap-figure').remove();
      }
      els.results.appendChild(card);
      state.rows.push(row);
      state.queue.push(row);
    });
    updateSummary();
    pump();
  }

  function pump() {
    while (state.active < CONCURRENT_UPLOADS && state.queue.length > 0) {
      send(state.queue.shift());
    }
  }

  function send(row) {
    state.active++;
    var form = new FormData();
    form.append('file', row.file, row.file.name);
    // after the model information, which says whether the engine can make heatmaps
    modelReady.then(function () {
      var heatmap = row.card.querySelector('.heatmap-figure') !== null && heatmapsAvailable();
      var url = 'api/v1/classify' + (heatmap ? '?heatmap=true' : '');
      attempt(url, form, row, 0);
    });
  }

  // A 503 means the model's queue is full: wait as the server asks, then try again (a few times).
  function attempt(url, form, row, tries) {
    fetch(url, { method: 'POST', body: form }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 503 && tries < 5) {
          var wait = (parseInt(response.headers.get('Retry-After'), 10) || 1) * 1000;
          setTimeout(function () { attempt(url, form, row, tries + 1); }, wait);
          return;
        }
        if (!response.ok) {
          finish(row, null, body.error || ('HTTP ' + response.status));
        } else {
          finish(row, body.results[0], null);
        }
      });
    }).catch(function (e) {
      finish(row, null, 'the server cannot be reached (' + e.message + ')');
    });
  }

  function finish(row, result, error) {
    state.active--;
    row.result = result;
    row.error = error;
    row.status = result ? 'done' : 'failed';
    render(row);
    updateSummary();
    pump();
  }

  function render(row) {
    var card = row.card;
    card.classList.remove('pending');
    var label = card.querySelector('.label');
    var probability = card.querySelector('.probability');
    var detail = card.querySelector('.detail');
    if (row.error) {
      card.classList.add('failed');
      label.textContent = 'Not classified';
      detail.textContent = row.error;
      var images = card.querySelector('.images');
      images.textContent = '';
      var placeholder = document.createElement('div');
      placeholder.className = 'no-preview';
      placeholder.textContent = 'No preview';
      images.appendChild(placeholder);
      return;
    }
    var r = row.result;
    if (r.status === 'not_a_cell') {
      // the model cannot judge this image: no call, no probability to read
      card.classList.add('not-a-cell');
      label.textContent = 'Not a cell';
      probability.textContent = '';
      detail.textContent = 'Unlike the cells this model learned from (score ' + r.oodScore.toFixed(1) + ')';
      card.querySelector('.meter-fill').style.width = '0';
      var figure = card.querySelector('.heatmap-figure');
      if (figure) { figure.remove(); }
      return;
    }
    var positive = r.parasitizedProbability >= r.threshold;
    card.classList.add(positive ? 'positive' : 'negative');
    label.textContent = r.label;
    probability.textContent = percent(r.probability);
    detail.textContent = 'P(Parasitized) ' + percent(r.parasitizedProbability) + ' · threshold ' + percent(r.threshold);
    card.querySelector('.meter-fill').style.width = percent(r.parasitizedProbability);
    card.querySelector('.meter-threshold').style.left = percent(r.threshold);
    var heat = card.querySelector('img.heatmap');
    if (heat) {
      if (r.heatmap) {
        heat.src = r.heatmap;
      } else {
        card.querySelector('.heatmap-figure').remove();
      }
    }
  }

  function updateSummary() {
    var done = state.rows.filter(function (r) { return r.status === 'done' && r.result.status !== 'not_a_cell'; });
    var notCells = state.rows.filter(function (r) { return r.status === 'done' && r.result.status === 'not_a_cell'; }).length;
    var failed = state.rows.filter(function (r) { return r.status === 'failed'; }).length;
    var pending = state.rows.filter(function (r) { return r.status === 'pending'; }).length;
    var positives = done.filter(function (r) { return r.result.parasitizedProbability >= r.result.threshold; }).length;
    els.parasitized.textContent = positives;
    els.total.textContent = done.length;
    els.summary.dataset.parasitized = positives;
    els.summary.dataset.total = done.length;
    els.summary.dataset.failed = failed;
    els.summary.dataset.notCells = notCells;
    els.summary.dataset.pending = pending;
    var extra = [];
    if (pending) { extra.push(pending + ' waiting'); }
    if (failed) { extra.push(failed + ' not readable'); }
    if (notCells) { extra.push(notCells + ' not a cell'); }
    els.extra.textContent = extra.length ? '(' + extra.join(', ') + ')' : '';
    els.summary.classList.toggle('has-positive', positives > 0);
    els.download.disabled = done.length + notCells + failed === 0;
    els.clear.disabled = state.rows.length === 0 || pending > 0;
  }

  function csvField(value) {
    var s = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function toCsv() {
    var lines = ['file,label,probability,parasitized_probability,threshold,model_id,ood_score,status,error'];
    state.rows.forEach(function (row) {
      if (row.status === 'pending') { return; }
      var r = row.result;
      lines.push([
        row.name,
        r && r.label ? r.label : '',
        r ? r.probability.toFixed(6) : '',
        r ? r.parasitizedProbability.toFixed(6) : '',
        r ? r.threshold : '',
        r ? r.modelId : '',
        r && r.oodScore !== undefined ? r.oodScore.toFixed(4) : '',
        r ? r.status : '',
        row.error || ''
      ].map(csvField).join(','));
    });
    return lines.join('\r\n') + '\r\n';
  }

  function downloadCsv() {
    var blob = new Blob([toCsv()], { type: 'text/csv;charset=utf-8' });
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'smearscan-results-' + new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-') + '.csv';
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  function clearAll() {
    state.rows.forEach(function (row) { URL.revokeObjectURL(row.objectUrl); });
    state.rows = [];
    els.results.textContent = '';
    updateSummary();
  }

  els.input.addEventListener('change', function () {
    addFiles(els.input.files);
    els.input.value = '';
  });
  ['dragenter', 'dragover'].forEach(function (type) {
    els.dropZone.addEventListener(type, function (e) {
      e.preventDefault();
      els.dropZone.classList.add('dragging');
    });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    els.dropZone.addEventListener(type, function (e) {
      e.preventDefault();
      els.dropZone.classList.remove('dragging');
    });
  });
  els.dropZone.addEventListener('drop', function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) {
      addFiles(e.dataTransfer.files);
    }
  });
  els.dropZone.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      els.input.click();
    }
  });
  els.download.addEventListener('click', downloadCsv);
  els.clear.addEventListener('click', clearAll);
  window.smearscan = { toCsv: toCsv };

  var modelReady = loadModel();
}());
