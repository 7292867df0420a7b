@echo off
rem MyoAssist-style launcher: run_training.bat NAME [more train flags]
if "%~1"=="" (
  echo usage: run_training.bat NAME [flags]; available configs:
  for %%f in (training_configs\*.json) do echo   %%~nf
  exit /b 1
)
cd /d "%~dp0"
where myoreflex >nul 2>nul
if %errorlevel%==0 (
  myoreflex train --config %*
) else (
  cargo run --release --quiet -p myoreflex -- train --config %*
)
exit /b %errorlevel%
