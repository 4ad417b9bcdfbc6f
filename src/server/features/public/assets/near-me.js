// "Use where I am now" on the tip form: shown only where the browser can tell its position;
// the form works without it (and without any script).
(() => {
  const button = document.querySelector('[data-near-me]');
  if (!button || !('geolocation' in navigator)) return;
  const status = document.getElementById('near-me-status');
  button.hidden = false;
  button.addEventListener('click', () => {
    navigator.geolocation.getCurrentPosition(
      (position) => {
        document.getElementById('lat').value = position.coords.latitude.toFixed(5);
        document.getElementById('lon').value = position.coords.longitude.toFixed(5);
        status.textContent = button.dataset.done;
      },
      () => {
        status.textContent = button.dataset.failed;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
})();
