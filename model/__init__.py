"""The Verbinding model: Mesa agents and model, and nothing of experiments or the app."""

from model.agents import Client, Professional
from model.model import WEEKLY_FIGURES, VerbindingModel
from model.parameters import ParameterError, Parameters
from model.simulation import Simulation

__all__ = [
           "WEEKLY_FIGURES",
           "Client",
           "ParameterError",
           "Parameters",
           "Professional",
           "Simulation",
           "VerbindingModel",
]
