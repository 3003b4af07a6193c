// SmearScan page: sends each chosen cell image to /api/v1/classify (a few at a time, so the server can batch
// them together) and shows the call, its probability and the Grad-CAM heatmap. An image larger than
// FIELD_SIDE pixels each way is a field photograph: it goes to /api/v1/fields, and the page draws it with
// every red cell's outline coloured by its call, and the count. No build step, no libraries.
(function () {
  'use strict';

  var CONCURRENT_UPLOADS = 4;
  /** An image wider and taller than this is screened as a field (a cell crop is about 150 px). */
  var FIELD_SIDE = 400;
  var Z_95 = 1.959963984540054;
  var OUTLINE = {
    uninfected: 'rgb(0, 170, 70)',
    infected: 'rgb(225, 20, 30)',
    not_a_cell: 'rgb(120, 120, 120)',
    cut: 'rgb(150, 150, 150)'
  };
  var state = { model: null, rows: [], fields: [], queue: [], active: 0 };

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
    template: document.getElementById('card-template'),
    fieldsSection: document.getElementById('fields-section'),
    fields: document.getElementById('fields'),
    fieldCount: document.getElementById('field-count'),
    fieldCountExtra: document.getElementById('field-count-extra'),
    fieldTemplate: document.getElementById('field-template')
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

  // Each file's pixel size, read by the browser (null when it cannot decode it, a TIFF say: the server will
  // judge it as a cell image). Cards are added once all are measured, so they keep the files' order.
  function addFiles(fileList) {
    var files = Array.prototype.slice.call(fileList);
    Promise.all(files.map(measure)).then(function (images) {
      files.forEach(function (file, i) {
        var image = images[i];
        if (image && image.naturalWidth > FIELD_SIDE && image.naturalHeight > FIELD_SIDE) {
          addField(file, image);
        } else {
          addCell(file, image);
        }
      });
      updateSummary();
      updateFieldSummary();
      pump();
    });
  }

  function measure(file) {
    return new Promise(function (resolve) {
      var image = new Image();
      var url = URL.createObjectURL(file);
      image.onload = function () { resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(url); resolve(null); };
      image.src = url;
    });
  }

  function addCell(file, image) {
    var card = els.template.content.firstElementChild.cloneNode(true);
    var row = { kind: 'cell', file: file, name: file.name, card: card, status: 'pending', result: null, error: null };
    row.objectUrl = image ? image.src : URL.createObjectURL(file);
    card.querySelector('img.cell').src = row.objectUrl;
    card.querySelector('.name').textContent = file.name;
    card.querySelector('.name').title = file.name;
    if (!els.heatmapToggle.checked) {
      card.querySelector('.heatmap-figure').remove();
    }
    els.results.appendChild(card);
    state.rows.push(row);
    state.queue.push(row);
  }

  function addField(file, image) {
    var card = els.fieldTemplate.content.firstElementChild.cloneNode(true);
    var row = { kind: 'field', file: file, name: file.name, card: card, image: image, objectUrl: image.src,
      status: 'pending', result: null, error: null };
    card.querySelector('.field-name').textContent = file.name;
    card.querySelector('.field-name').title = file.name;
    var canvas = card.querySelector('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    canvas.getContext('2d').drawImage(image, 0, 0);
    els.fields.appendChild(card);
    els.fieldsSection.hidden = false;
    state.fields.push(row);
    state.queue.push(row);
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
      if (row.kind === 'field') {
        attempt('api/v1/fields', form, row, 0);
        return;
      }
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
          finish(row, row.kind === 'field' ? body.fields[0] : body.results[0], null);
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
    if (row.kind === 'field') {
      renderField(row);
      updateFieldSummary();
    } else {
      render(row);
      updateSummary();
    }
    pump();
  }

  // The field as the server read it (its width and height), each cell's outline in its call's colour, the
  // probability beside each infected cell.
  function renderField(row) {
    var card = row.card;
    card.classList.remove('pending');
    var status = card.querySelector('.field-status');
    if (row.error) {
      card.classList.add('failed');
      status.textContent = 'Not screened';
      card.querySelector('.field-card-count').textContent = row.error;
      return;
    }
    var f = row.result;
    card.classList.add(f.infected > 0 ? 'positive' : 'negative');
    status.textContent = f.seconds.toFixed(2) + ' s';
    card.querySelector('.field-card-count').textContent = countText(f.cells, f.infected, f.parasitemiaPercent)
      + (f.notACell ? ' · ' + f.notACell + ' not a cell' : '');
    var canvas = card.querySelector('canvas');
    canvas.width = f.width;
    canvas.height = f.height;
    var g = canvas.getContext('2d');
    g.drawImage(row.image, 0, 0, f.width, f.height);
    var unit = Math.max(1.5, Math.max(f.width, f.height) / 640);
    f.cellList.forEach(function (c) {
      g.beginPath();
      g.arc(c.center.x, c.center.y, c.radius, 0, 2 * Math.PI);
      g.strokeStyle = OUTLINE[c.call] || OUTLINE.not_a_cell;
      if (c.call === 'cut') {
        g.lineWidth = Math.max(1, unit / 2);
        g.setLineDash([4 * unit, 3 * unit]);
      } else {
        g.lineWidth = c.call === 'infected' ? 2 * unit : 1.5 * unit;
        g.setLineDash([]);
      }
      g.stroke();
    });
    g.setLineDash([]);
    g.font = 'bold ' + Math.round(11 * unit) + 'px system-ui, sans-serif';
    g.textAlign = 'center';
    g.textBaseline = 'bottom';
    g.lineJoin = 'round';
    f.cellList.forEach(function (c) {
      if (c.call !== 'infected') { return; }
      var text = Math.round(c.probability * 100) + '%';
      var y = Math.max(12 * unit, c.center.y - c.radius - unit);
      g.lineWidth = 3 * unit;
      g.strokeStyle = 'rgba(255, 255, 255, 0.9)';
      g.strokeText(text, c.center.x, y);
      g.fillStyle = OUTLINE.infected;
      g.fillText(text, c.center.x, y);
    });
  }

  // "N red cells, K infected, parasitemia P% (95% CI lo–hi%)"; parasitemia in percent, null without cells
  function countText(cells, infected, parasitemia) {
    var text = cells + ' red cell' + (cells === 1 ? '' : 's') + ', ' + infected + ' infected, parasitemia ';
    if (!parasitemia) {
      return text + 'undefined (no red cell counted)';
    }
    return text + parasitemia.value.toFixed(1) + '% (95% CI ' + parasitemia.low.toFixed(1) + '–'
      + parasitemia.high.toFixed(1) + '%)';
  }

  // Wilson's 95% interval, in percent, as the server computes it (for the sum over several fields)
  function wilsonPercent(k, n) {
    if (n === 0) { return null; }
    var p = k / n;
    var z2 = Z_95 * Z_95;
    var den = 1 + z2 / n;
    var centre = (p + z2 / (2 * n)) / den;
    var half = Z_95 / den * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return { value: 100 * p, low: 100 * Math.max(0, centre - half), high: 100 * Math.min(1, centre + half) };
  }

  // The count over every field screened on the page, as a microscopist counts over several fields of a slide
  function updateFieldSummary() {
    var done = state.fields.filter(function (r) { return r.status === 'done'; });
    var failed = state.fields.filter(function (r) { return r.status === 'failed'; }).length;
    var pending = state.fields.filter(function (r) { return r.status === 'pending'; }).length;
    var cells = 0;
    var infected = 0;
    done.forEach(function (r) { cells += r.result.cells; infected += r.result.infected; });
    var parasitemia = done.length === 1 ? done[0].result.parasitemiaPercent : wilsonPercent(infected, cells);
    els.fieldCount.dataset.fields = done.length;
    els.fieldCount.dataset.failed = failed;
    els.fieldCount.dataset.pending = pending;
    els.fieldCount.dataset.cells = cells;
    els.fieldCount.dataset.infected = infected;
    els.fieldCount.textContent = done.length ? countText(cells, infected, parasitemia) : '';
    var extra = [];
    if (done.length > 1) { extra.push('over ' + done.length + ' fields'); }
    if (pending) { extra.push(pending + ' screening'); }
    if (failed) { extra.push(failed + ' not screened'); }
    els.fieldCountExtra.textContent = extra.length ? '(' + extra.join(', ') + ')' : '';
    els.fieldCount.classList.toggle('has-positive', infected > 0);
    els.fieldsSection.hidden = state.fields.length === 0;
    updateClear();
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
    updateClear();
  }

  function updateClear() {
    var all = state.rows.concat(state.fields);
    els.clear.disabled = all.length === 0 || all.some(function (r) { return r.status === 'pending'; });
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
    state.rows.concat(state.fields).forEach(function (row) { URL.revokeObjectURL(row.objectUrl); });
    state.rows = [];
    state.fields = [];
    els.results.textContent = '';
    els.fields.textContent = '';
    updateSummary();
    updateFieldSummary();
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
